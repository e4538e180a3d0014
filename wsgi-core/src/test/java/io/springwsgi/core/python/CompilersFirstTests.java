package io.springwsgi.core.python;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class CompilersFirstTests {

	@Test
	void everyThreadButTheCompilersRunsAtNiceTenUntilTheCompilersAreIdle() throws InterruptedException, IOException {
		assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux only");
		assumeTrue(Executables.onPath("renice", System.getenv("PATH")).isPresent(), "renice is not installed");
		CountDownLatch done = new CountDownLatch(1);
		Thread probe = Thread.ofPlatform().name("nice-probe").daemon().start(() -> {
			try {
				done.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		int before = task("nice-probe").nice();
		assumeTrue(before < CompilersFirst.NICE, "this JVM already runs at nice " + before);
		CompilersFirst compilersFirst = CompilersFirst.start(Duration.ofSeconds(3));
		assertThat(compilersFirst).as("renice ran").isNotNull();
		try {
			assertThat(task("nice-probe").nice()).isEqualTo(CompilersFirst.NICE);
			List<CompilersFirst.Task> compilers = CompilersFirst.tasks().stream().filter(CompilersFirst.Task::compiler).toList();
			assertThat(compilers).extracting(CompilersFirst.Task::name).anyMatch((name) -> name.startsWith("C2"));
			assertThat(compilers).allSatisfy((compiler) -> assertThat(compiler.nice()).isLessThan(CompilersFirst.NICE));

			assertThat(compilersFirst.awaitIdle(Duration.ofSeconds(120))).as("the compilers went idle").isTrue();
			// Lowering a nice value back takes CAP_SYS_NICE; without it the threads keep theirs.
			int expected = mayLowerNiceValues() ? before : CompilersFirst.NICE;
			assertThat(task("nice-probe").nice()).isEqualTo(expected);
		}
		finally {
			compilersFirst.close();
			done.countDown();
			probe.join();
		}
	}

	/** Whether this process has CAP_SYS_NICE (capability 23) among its effective capabilities. */
	private static boolean mayLowerNiceValues() throws IOException {
		String effective = Files.readAllLines(Path.of("/proc/self/status")).stream()
			.filter((line) -> line.startsWith("CapEff:"))
			.findFirst()
			.orElseThrow()
			.substring("CapEff:".length())
			.strip();
		return new BigInteger(effective, 16).testBit(23);
	}

	private static CompilersFirst.Task task(String name) {
		return CompilersFirst.tasks().stream().filter((task) -> task.name().equals(name)).findFirst().orElseThrow();
	}

}
