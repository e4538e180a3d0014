package io.springwsgi.boot.spring;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

import org.springframework.aop.SpringProxy;
import org.springframework.aop.TargetClassAware;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.core.DecoratingProxy;
import org.springframework.util.ClassUtils;

/**
 * A bean as Python sees it through {@code spring.beans.raw()}: the public methods of the bean's
 * own class (or, for an interface-based proxy, of the interfaces it proxies), called on the
 * bean itself so its advice (transactions, security) applies. The proxy's own interfaces
 * ({@link Advised}, {@link TargetClassAware}, {@link SpringProxy}, CGLIB's {@code Factory})
 * and {@code Object}'s methods ({@code getClass()} among them) are not members, so an app
 * can neither strip a proxy's advisors nor reach classes and their statics through it.
 */
final class BeanView implements ProxyObject {

	private static final List<Class<?>> PROXY_TYPES = List.of(Advised.class, TargetClassAware.class,
			SpringProxy.class, DecoratingProxy.class, org.springframework.cglib.proxy.Factory.class);

	private final Object bean;

	private final Map<String, List<Method>> methods;

	private BeanView(Object bean, Map<String, List<Method>> methods) {
		this.bean = bean;
		this.methods = methods;
	}

	static BeanView of(Object bean) {
		Map<String, List<Method>> methods = new LinkedHashMap<>();
		for (Class<?> type : visibleTypes(bean)) {
			for (Method method : type.getMethods()) {
				if (exposed(method)) {
					methods.computeIfAbsent(method.getName(), (name) -> new ArrayList<>()).add(method);
				}
			}
		}
		return new BeanView(bean, methods);
	}

	private static List<Class<?>> visibleTypes(Object bean) {
		Class<?> type = bean.getClass();
		if (java.lang.reflect.Proxy.isProxyClass(type)) {
			return List.of(AopProxyUtils.proxiedUserInterfaces(bean));
		}
		return List.of(ClassUtils.getUserClass(type));
	}

	private static boolean exposed(Method method) {
		Class<?> declaring = method.getDeclaringClass();
		if (declaring == Object.class || Modifier.isStatic(method.getModifiers())
				|| !Modifier.isPublic(declaring.getModifiers())) {
			return false;
		}
		return PROXY_TYPES.stream().noneMatch((proxyType) -> proxyType.isAssignableFrom(declaring));
	}

	@Override
	public Object getMember(String key) {
		List<Method> candidates = this.methods.get(key);
		if (candidates == null) {
			return null;
		}
		return (ProxyExecutable) (arguments) -> invoke(candidates, arguments);
	}

	@Override
	public Object getMemberKeys() {
		return ProxyArray.fromArray(this.methods.keySet().toArray());
	}

	@Override
	public boolean hasMember(String key) {
		return this.methods.containsKey(key);
	}

	@Override
	public void putMember(String key, Value value) {
		throw new UnsupportedOperationException("a Spring bean's members cannot be set from Python");
	}

	private Object invoke(List<Method> candidates, Value[] arguments) {
		for (Method method : candidates) {
			Object[] converted = convert(method, arguments);
			if (converted == null) {
				continue;
			}
			try {
				return method.invoke(this.bean, converted);
			}
			catch (InvocationTargetException ex) {
				if (ex.getCause() instanceof RuntimeException runtime) {
					throw runtime;
				}
				throw new IllegalStateException(ex.getCause());
			}
			catch (IllegalAccessException ex) {
				throw new IllegalStateException("cannot call " + method + ": " + ex.getMessage(), ex);
			}
		}
		throw new IllegalArgumentException("no method " + candidates.get(0).getName() + " of "
				+ candidates.get(0).getDeclaringClass().getName() + " takes these " + arguments.length + " arguments");
	}

	/** The arguments as the method's parameter types, or {@code null} if they do not fit. */
	private static Object[] convert(Method method, Value[] arguments) {
		Class<?>[] types = method.getParameterTypes();
		if (types.length != arguments.length) {
			return null;
		}
		Object[] converted = new Object[types.length];
		try {
			for (int i = 0; i < types.length; i++) {
				converted[i] = arguments[i].as(types[i]);
			}
		}
		catch (ClassCastException | IllegalStateException | PolyglotException ex) {
			return null;
		}
		return converted;
	}

}
