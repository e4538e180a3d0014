package io.springwsgi.core.app;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import io.springwsgi.core.python.PrivateDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Copies of {@code classpath:} directories inside jars: private to the user, keyed by their
 * content, renamed into place whole, and deleted once no JVM uses them.
 */
class AppDirectoriesTests {

	@TempDir
	Path temp;

	@Test
	void copiesLiveInADirectoryOnlyTheUserCanEnter() throws IOException {
		Path directory = resolve(jar("app.jar", "print('v1')\n"));
		Path privateRoot = PrivateDirectory.ofCurrentUser();
		assertThat(directory).startsWith(privateRoot);
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(privateRoot))).isEqualTo("rwx------");
		assertThat(Files.getOwner(privateRoot).getName()).isEqualTo(System.getProperty("user.name"));
	}

	@Test
	void changedJarWithTheSameTimestampGetsAFreshCopy() throws IOException {
		FileTime normalised = FileTime.fromMillis(315532800000L);
		Path jar = jar("app.jar", "print('v1')\n");
		Files.setLastModifiedTime(jar, normalised);
		Path first = resolve(jar);
		jar("app.jar", "print('v2')\n");
		Files.setLastModifiedTime(jar, normalised);
		Path second = resolve(jar);
		assertThat(second.resolve("main.py")).content(StandardCharsets.UTF_8).isEqualTo("print('v2')\n");
		assertThat(first.resolve("main.py")).content(StandardCharsets.UTF_8).isEqualTo("print('v1')\n");
	}

	@Test
	void directoryWithLooserPermissionsIsRefused() throws IOException {
		Path shared = Files.createDirectory(this.temp.resolve("shared"),
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
		Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
		assertThatIllegalStateException().isThrownBy(() -> PrivateDirectory.ensure(shared))
			.withMessageContaining("Refusing to use " + shared)
			.withMessageContaining("has permissions rwxrwxrwx");
	}

	@Test
	void symbolicLinkInPlaceOfTheDirectoryIsRefused() throws IOException {
		Path elsewhere = Files.createDirectory(this.temp.resolve("elsewhere"),
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		Path link = Files.createSymbolicLink(this.temp.resolve("link"), elsewhere);
		assertThatIllegalStateException().isThrownBy(() -> PrivateDirectory.ensure(link))
			.withMessageContaining("is not a directory (or is a symbolic link)");
	}

	@Test
	void extractionsRacingForTheSameContentAllGetOneWholeCopy() throws Exception {
		Path copies = PrivateDirectory.ensure(this.temp.resolve("copies"));
		Path jar = jar("many.jar", "x = 1\n");
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService threads = Executors.newFixedThreadPool(4);
		try {
			List<Future<Path>> results = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				results.add(threads.submit(() -> {
					start.await();
					try (JarFile file = new JarFile(jar.toFile())) {
						return AppDirectories.extract(file, "app/", "classpath:app", copies);
					}
				}));
			}
			start.countDown();
			Path copy = results.get(0).get();
			for (Future<Path> result : results) {
				assertThat(result.get()).isEqualTo(copy);
			}
			assertThat(copy.resolve("main.py")).content(StandardCharsets.UTF_8).isEqualTo("x = 1\n");
			try (Stream<Path> children = Files.list(copies)) {
				assertThat(children.map((child) -> child.getFileName().toString()))
					.noneMatch((name) -> name.startsWith(AppDirectories.STAGING_PREFIX));
			}
		}
		finally {
			threads.shutdownNow();
		}
	}

	@Test
	void copyNoJvmUsesIsDeleted() throws IOException {
		Path copies = PrivateDirectory.ensure(this.temp.resolve("copies"));
		Path stale = Files.createDirectories(copies.resolve("0123456789abcdef0123456789abcdef"));
		Files.writeString(stale.resolve("main.py"), "old = True\n");
		Path copy;
		try (JarFile file = new JarFile(jar("app.jar", "new = True\n").toFile())) {
			copy = AppDirectories.extract(file, "app/", "classpath:app", copies);
		}
		assertThat(stale).doesNotExist();
		assertThat(copy.resolve("main.py")).exists();
	}

	private Path resolve(Path jar) throws IOException {
		try (URLClassLoader loader = new URLClassLoader(new URL[] { jar.toUri().toURL() }, null)) {
			return AppDirectories.resolve("classpath:app", loader);
		}
	}

	private Path jar(String name, String main) throws IOException {
		Path jar = this.temp.resolve(name);
		try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
			out.putNextEntry(new JarEntry("app/"));
			out.closeEntry();
			out.putNextEntry(new JarEntry("app/main.py"));
			out.write(main.getBytes(StandardCharsets.UTF_8));
			out.closeEntry();
			for (int i = 0; i < 50; i++) {
				out.putNextEntry(new JarEntry("app/package/module_" + i + ".py"));
				out.write(("VALUE = " + i + "\n").getBytes(StandardCharsets.UTF_8));
				out.closeEntry();
			}
		}
		return jar;
	}

}
