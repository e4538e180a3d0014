package io.springwsgi.core.python;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the programs the library runs ({@code patchelf}, {@code renice}) the way a shell would.
 */
final class Executables {

	private Executables() {
	}

	/**
	 * The first executable file of that name in the directories of a search path.
	 * @param name the program, {@code renice}
	 * @param searchPath a {@code PATH}, or {@code null}
	 * @return its path, if there is one
	 */
	static Optional<Path> onPath(String name, String searchPath) {
		if (searchPath != null) {
			for (String directory : searchPath.split(File.pathSeparator)) {
				if (directory.isEmpty()) {
					continue;
				}
				Path candidate = Path.of(directory, name);
				if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
					return Optional.of(candidate);
				}
			}
		}
		return Optional.empty();
	}

}
