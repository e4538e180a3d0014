package io.springwsgi.core.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds {@link RequestHead}s for tests.
 */
public final class Requests {

	private String method = "GET";

	private String path = "/";

	private String query;

	private final List<Map.Entry<String, String>> headers = new ArrayList<>();

	public static Requests get(String path) {
		return new Requests().method("GET").path(path);
	}

	public static Requests post(String path) {
		return new Requests().method("POST").path(path);
	}

	public Requests method(String method) {
		this.method = method;
		return this;
	}

	public Requests path(String path) {
		int question = path.indexOf('?');
		if (question >= 0) {
			this.query = path.substring(question + 1);
			this.path = path.substring(0, question);
		}
		else {
			this.path = path;
		}
		return this;
	}

	public Requests header(String name, String value) {
		this.headers.add(Map.entry(name, value));
		return this;
	}

	public RequestHead build() {
		List<Map.Entry<String, String>> all = new ArrayList<>();
		all.add(Map.entry("Host", "localhost:8080"));
		all.addAll(this.headers);
		return new RequestHead(this.method, "http", this.path, this.query, "HTTP/1.1", all, "localhost", 8080,
				"127.0.0.1", 50000);
	}

}
