package io.springwsgi.core.wsgi;

import java.io.ByteArrayInputStream;
import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.springwsgi.core.http.RecordingSink;
import io.springwsgi.core.http.Requests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

import static io.springwsgi.core.wsgi.TestApps.exchange;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the bridge answers when an app fails or breaks PEP 3333 (DESIGN.md section 5), with
 * {@code misbehaving.py} on a pool of one context, so every request after a failure proves
 * that the same context is still usable.
 */
class WsgiErrorHandlingTests {

	private final WsgiApplication app = TestApps.misbehaving();

	private final Logger appLogger = (Logger) LoggerFactory.getLogger("io.springwsgi.app.misbehaving");

	private final ListAppender<ILoggingEvent> appLog = new ListAppender<>();

	@BeforeEach
	void captureAppLog() {
		this.appLog.start();
		this.appLogger.addAppender(this.appLog);
	}

	@AfterEach
	void releaseAppLog() {
		this.appLogger.detachAppender(this.appLog);
	}

	@Test
	void appThatRaisesGets500WithoutTracebackInTheBody() {
		RecordingSink response = exchange(this.app, Requests.get("/raises").build());
		assertThat(response.status).isEqualTo(500);
		assertThat(response.bodyText()).isEqualTo("The server could not complete the request.\n")
			.doesNotContain("Traceback", "ValueError");
	}

	@Test
	void appThatRaisesHasItsTracebackLoggedWithTheAppName() {
		exchange(this.app, Requests.get("/raises").build());
		assertThat(errorLog()).contains("App 'misbehaving' raised ValueError: the app failed on purpose",
				"Traceback (most recent call last)", "misbehaving.py");
	}

	@Test
	void appThatRaisesInDebugGetsTheTracebackInTheBody() {
		RecordingSink response = exchange(TestApps.misbehavingInDebug(), Requests.get("/raises").build());
		assertThat(response.status).isEqualTo(500);
		assertThat(response.bodyText()).startsWith("ValueError: the app failed on purpose")
			.contains("Traceback (most recent call last)", "misbehaving.py", "raise ValueError");
	}

	@Test
	void protocolViolationInDebugNamesTheRuleInTheBody() {
		RecordingSink response = exchange(TestApps.misbehavingInDebug(), Requests.get("/twice").build());
		assertThat(response.status).isEqualTo(500);
		assertThat(response.bodyText()).contains("start_response() was called a second time without exc_info",
				"PEP 3333, 'The start_response() Callable'");
	}

	@Test
	void contextStaysUsableAfterTheAppRaised() {
		int replacedBefore = this.app.pool().statistics().replaced();
		assertThat(exchange(this.app, Requests.get("/raises").build()).status).isEqualTo(500);
		RecordingSink next = exchange(this.app, Requests.get("/ok").build());
		assertThat(next.status).isEqualTo(200);
		assertThat(next.bodyText()).isEqualTo("ok");
		assertThat(this.app.pool().statistics().replaced()).isEqualTo(replacedBefore);
	}

	@ParameterizedTest(name = "{0} breaks \"{1}\"")
	@CsvSource(delimiter = '|', textBlock = """
			/bad-status       | is not a three-digit code, a space and a reason phrase  | The start_response() Callable
			/bad-status-type  | the status must be a str such as '200 OK', not int      | The start_response() Callable
			/bad-header       | holds a control character, which RFC 9110 §5.5 forbids  | The start_response() Callable
			/hop-by-hop       | the hop-by-hop header 'Connection'                      | Other HTTP Features
			/bad-length       | is not a number of bytes as RFC 9110 §8.6 requires      | The start_response() Callable
			/headers-not-list | response_headers must be a list, not tuple              | The start_response() Callable
			/not-iterable     | the application returned int, which is not an iterable  | The Application/Framework Side
			/str-body         | the application's iterable yielded str                  | Unicode Issues
			/twice            | start_response() was called a second time without exc_info | The start_response() Callable
			/no-start         | yielded body bytes before calling start_response()      | The start_response() Callable
			""")
	void protocolViolationGets500AndALogLineNamingTheRule(String path, String rule, String section) {
		int replacedBefore = this.app.pool().statistics().replaced();
		RecordingSink response = exchange(this.app, Requests.get(path).build());
		assertThat(response.status).isEqualTo(500);
		assertThat(response.events).containsExactly("respond 500");
		assertThat(response.bodyBytes()).hasSize(43);
		assertThat(errorLog()).contains("App 'misbehaving' broke a rule of PEP 3333", rule,
				"(PEP 3333, '" + section + "')");
		assertThat(this.app.pool().statistics().replaced()).isEqualTo(replacedBefore);
	}

	@Test
	void startResponseWithExcInfoBeforeHeadersSendsTheAppsOwnErrorPage() {
		RecordingSink response = exchange(this.app, Requests.get("/exc-info-before-headers").build());
		assertThat(response.status).isEqualTo(500);
		assertThat(response.bodyText()).isEqualTo("the app's own error page");
		assertThat(response.events).containsExactly("start 500", "write 24", "complete");
	}

	@Test
	void startResponseWithExcInfoAfterHeadersAbortsTheResponse() {
		RecordingSink response = exchange(this.app, Requests.get("/exc-info-after-headers").build());
		assertThat(response.events).containsExactly("start 200", "write 7", "abort");
		assertThat(response.bodyText()).isEqualTo("partial");
		assertThat(response.abortCause).hasMessageContaining("KeyError");
	}

	@Test
	void resultIsClosedAfterASuccessfulResponse() {
		RecordingSink response = exchange(this.app, Requests.get("/tracked").build());
		assertThat(response.events).containsExactly("start 200", "write 3", "write 3", "complete");
		assertThat(closedIterables()).contains("tracked");
	}

	@Test
	void iterationFailingAfterTheFirstChunkAbortsAndClosesTheResult() {
		RecordingSink response = exchange(this.app, Requests.get("/fails-iterating").build());
		assertThat(response.events).containsExactly("start 200", "write 5", "abort");
		assertThat(closedIterables()).contains("fails-iterating");
	}

	@Test
	void iterationFailingBeforeAnyBodyGets500AndClosesTheResult() {
		RecordingSink response = exchange(this.app, Requests.get("/fails-before-body").build());
		assertThat(response.status).isEqualTo(500);
		assertThat(response.events).first().isEqualTo("respond 500");
		assertThat(closedIterables()).contains("fails-before-body");
	}

	@Test
	void clientDisconnectingMidStreamStopsTheIterationAndClosesTheResult() {
		RecordingSink response = exchange(this.app, Requests.get("/long-stream").build(),
				new ByteArrayInputStream(new byte[0]), new RecordingSink(3));
		assertThat(response.events).containsExactly("start 200", "write 1024", "write 1024", "write 1024",
				"write refused", "abort");
		assertThat(response.abortCause).hasMessage("client went away");
		// Answered by the pool's only context: the disconnect did not leak it.
		assertThat(closedIterables()).contains("long-stream");
	}

	@Test
	void declaredBodyOverTheLimitGets413BeforeTheAppRuns() {
		int size = (int) TestApps.MISBEHAVING_BODY_LIMIT + 1;
		ByteArrayInputStream body = new ByteArrayInputStream(new byte[size]);
		RecordingSink response = exchange(this.app,
				Requests.post("/read-body").header("Content-Length", Integer.toString(size)).build(), body,
				new RecordingSink());
		assertThat(response.status).isEqualTo(413);
		assertThat(response.bodyText()).contains("exceeds the limit of 1024 bytes");
		// /read-body reads every byte it is given: an unread body means the app never ran.
		assertThat(body.available()).isEqualTo(size);
	}

	@Test
	void chunkedBodyOverTheLimitGets413() {
		byte[] body = new byte[(int) TestApps.MISBEHAVING_BODY_LIMIT * 4];
		RecordingSink response = exchange(this.app,
				Requests.post("/read-body").header("Transfer-Encoding", "chunked").build(),
				new WsgiConformanceTests.TrickleStream(body, 500), new RecordingSink());
		assertThat(response.status).isEqualTo(413);
		assertThat(response.bodyText()).contains("exceeds the limit of 1024 bytes");
	}

	@Test
	void chunkedBodyOverTheLimitGets413EvenWhenTheAppCatchesTheInputError() {
		byte[] body = new byte[(int) TestApps.MISBEHAVING_BODY_LIMIT * 4];
		RecordingSink response = exchange(this.app,
				Requests.post("/read-body-catching").header("Transfer-Encoding", "chunked").build(),
				new WsgiConformanceTests.TrickleStream(body, 500), new RecordingSink());
		assertThat(response.status).isEqualTo(413);
		assertThat(response.bodyText()).contains("exceeds the limit of 1024 bytes")
			.doesNotContain("the app caught the input error");
	}

	@Test
	void chunkedBodyWithinTheLimitReachesTheApp() {
		byte[] body = new byte[(int) TestApps.MISBEHAVING_BODY_LIMIT];
		RecordingSink response = exchange(this.app,
				Requests.post("/read-body").header("Transfer-Encoding", "chunked").build(),
				new WsgiConformanceTests.TrickleStream(body, 500), new RecordingSink());
		assertThat(response.status).isEqualTo(200);
		assertThat(response.bodyText()).isEqualTo("1024");
	}

	private String errorLog() {
		List<String> errors = this.appLog.list.stream()
			.filter((event) -> event.getLevel() == Level.ERROR)
			.map(ILoggingEvent::getFormattedMessage)
			.toList();
		assertThat(errors).as("error log lines of app 'misbehaving'").isNotEmpty();
		return String.join("\n", errors);
	}

	private List<String> closedIterables() {
		return List.of(exchange(this.app, Requests.get("/closed").build()).bodyText().split(","));
	}

}
