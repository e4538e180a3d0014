package io.springwsgi.core.app;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import io.springwsgi.core.http.RecordingSink;
import io.springwsgi.core.http.Requests;
import io.springwsgi.core.pool.PoolConfig;
import io.springwsgi.core.wsgi.TestApps;
import io.springwsgi.core.wsgi.WsgiApplication;
import io.springwsgi.core.wsgi.WsgiOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.springwsgi.core.wsgi.TestApps.exchange;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Loading {@code module:callable} from an app's directory, and the start-up failures a user
 * must be able to act on from the message alone.
 */
class AppLoadingTests {

	@TempDir
	Path temp;

	@Test
	void moduleThatFailsToImportNamesAppModuleDirectoryAndPythonError() {
		PythonApp app = TestApps.app("broken", "broken_import", "application");
		assertThatExceptionOfType(AppLoadException.class).isThrownBy(() -> start(app))
			.withMessageContaining("Python app 'broken'")
			.withMessageContaining("broken_import:application")
			.withMessageContaining(TestApps.DIRECTORY.toString())
			.withMessageContaining("cannot import module 'broken_import'")
			.withMessageContaining("ModuleNotFoundError: No module named 'module_that_does_not_exist'")
			.satisfies((ex) -> assertThat(ex.getApp()).isEqualTo(app));
	}

	@Test
	void missingCallableNamesTheAttribute() {
		PythonApp app = TestApps.app("no-callable", "not_callable", "app");
		assertThatExceptionOfType(AppLoadException.class).isThrownBy(() -> start(app))
			.withMessageContaining("Python app 'no-callable'")
			.withMessageContaining("module 'not_callable'")
			.withMessageContaining("has no attribute 'app'");
	}

	@Test
	void attributeThatIsNotCallableIsRefused() {
		PythonApp app = TestApps.app("not-callable", "not_callable", "application");
		assertThatExceptionOfType(AppLoadException.class).isThrownBy(() -> start(app))
			.withMessageContaining("Python app 'not-callable'")
			.withMessageContaining("'not_callable.application' is a int, not a callable");
	}

	@Test
	void missingDirectoryIsReportedWithItsLocation() {
		String location = this.temp.resolve("no-such-app").toString();
		assertThatExceptionOfType(AppDirectoryNotFoundException.class)
			.isThrownBy(() -> AppDirectories.resolve(location, getClass().getClassLoader()))
			.withMessageContaining(location)
			.satisfies((ex) -> assertThat(ex.getLocation()).isEqualTo(location));
	}

	@Test
	void missingClasspathDirectoryIsReportedWithItsLocation() {
		assertThatExceptionOfType(AppDirectoryNotFoundException.class)
			.isThrownBy(() -> AppDirectories.resolve("classpath:no/such/app", getClass().getClassLoader()))
			.withMessageContaining("'classpath:no/such/app'");
	}

	@Test
	void appInAClasspathDirectoryInsideAJarIsServed() throws IOException {
		Path jar = this.temp.resolve("app.jar");
		writeJar(jar, "pyapp/", "pyapp/jarred.py", """
				def application(environ, start_response):
				    start_response("200 OK", [("Content-Type", "text/plain")])
				    return [b"served from a jar"]
				""");
		Path directory;
		try (URLClassLoader loader = new URLClassLoader(new URL[] { jar.toUri().toURL() }, null)) {
			directory = AppDirectories.resolve("classpath:pyapp", loader);
		}
		try {
			assertThat(directory.resolve("jarred.py")).isRegularFile();
			PythonApp app = PythonApp.of("jarred", directory, "jarred", "application");
			try (WsgiApplication application = new WsgiApplication(TestApps.ENGINE, app, PoolConfig.ofSize(1),
					WsgiOptions.mountedAt("/jar"))) {
				application.start();
				RecordingSink response = exchange(application, Requests.get("/jar/").build());
				assertThat(response.status).isEqualTo(200);
				assertThat(response.bodyText()).isEqualTo("served from a jar");
			}
		}
		finally {
			deleteRecursively(directory);
		}
	}

	private static void start(PythonApp app) {
		try (WsgiApplication application = new WsgiApplication(TestApps.ENGINE, app, PoolConfig.ofSize(1),
				WsgiOptions.mountedAt("/"))) {
			application.start();
		}
	}

	private static void writeJar(Path jar, String directory, String file, String content) throws IOException {
		try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out)) {
			jarOut.putNextEntry(new JarEntry(directory));
			jarOut.closeEntry();
			jarOut.putNextEntry(new JarEntry(file));
			jarOut.write(content.getBytes(StandardCharsets.UTF_8));
			jarOut.closeEntry();
		}
	}

	/** The copy out of the jar lives under java.io.tmpdir, outside the test's own directory. */
	private static void deleteRecursively(Path directory) throws IOException {
		try (Stream<Path> paths = Files.walk(directory)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(path);
			}
		}
	}

}
