package io.springwsgi.boot.apps;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Reloads an app with {@code debug: true} when a file under its directory changes, the way
 * IRIS's debug flag and Flask's reloader do: changes that come together within a short quiet
 * period cause one reload. A reload that fails is logged and the running pool keeps serving.
 */
public class DebugReloader implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(DebugReloader.class);

	private static final long QUIET_PERIOD_MILLIS = 300;

	private final List<HostedApp> apps;

	private final Map<WatchKey, HostedApp> owners = new HashMap<>();

	private WatchService watchService;

	/**
	 * Create a reloader for the apps that have {@code debug: true}.
	 * @param hostedApps all hosted apps
	 */
	public DebugReloader(HostedApps hostedApps) {
		this.apps = hostedApps.apps().stream().filter((app) -> app.definition().debug()).toList();
	}

	@Override
	public void start() {
		if (this.apps.isEmpty()) {
			return;
		}
		try {
			this.watchService = FileSystems.getDefault().newWatchService();
			for (HostedApp app : this.apps) {
				register(app, app.directory());
				logger.info("Python app '{}' is in debug mode: it reloads when a file under {} changes", app.name(),
						app.directory());
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot watch the directories of the debug apps", ex);
		}
		Thread.ofPlatform().name("wsgi-debug-reloader").daemon().start(this::watch);
	}

	private void register(HostedApp app, Path directory) throws IOException {
		Files.walkFileTree(directory, new SimpleFileVisitor<>() {
			@Override
			public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
				if (dir.getFileName() != null && dir.getFileName().toString().equals("__pycache__")) {
					return FileVisitResult.SKIP_SUBTREE;
				}
				DebugReloader.this.owners.put(dir.register(DebugReloader.this.watchService,
						StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
						StandardWatchEventKinds.ENTRY_DELETE), app);
				return FileVisitResult.CONTINUE;
			}
		});
	}

	private void watch() {
		try {
			while (true) {
				WatchKey key = this.watchService.take();
				Map<HostedApp, Path> changed = new HashMap<>();
				collect(key, changed);
				// Let an editor's burst of writes settle, then reload once.
				while ((key = this.watchService.poll(QUIET_PERIOD_MILLIS, TimeUnit.MILLISECONDS)) != null) {
					collect(key, changed);
				}
				changed.forEach(this::reload);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ClosedWatchServiceException ex) {
			// Stopped.
		}
	}

	private void collect(WatchKey key, Map<HostedApp, Path> changed) {
		HostedApp app = this.owners.get(key);
		Path directory = (Path) key.watchable();
		for (WatchEvent<?> event : key.pollEvents()) {
			if (!(event.context() instanceof Path name) || name.toString().equals("__pycache__")
					|| name.toString().endsWith(".pyc")) {
				continue;
			}
			Path path = directory.resolve(name);
			changed.put(app, path);
			if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE && Files.isDirectory(path)) {
				try {
					register(app, path);
				}
				catch (IOException ex) {
					logger.warn("Python app '{}': cannot watch new directory {}", app.name(), path, ex);
				}
			}
		}
		key.reset();
	}

	private void reload(HostedApp app, Path changed) {
		logger.info("Python app '{}': {} changed, reloading", app.name(), changed);
		try {
			app.reload();
		}
		catch (RuntimeException ex) {
			logger.error("Python app '{}' failed to reload after {} changed; the previous version keeps serving",
					app.name(), changed, ex);
		}
	}

	@Override
	public void stop() {
		if (this.watchService != null) {
			try {
				this.watchService.close();
			}
			catch (IOException ex) {
				logger.debug("Closing the debug reloader's watch service failed", ex);
			}
			this.watchService = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.watchService != null;
	}

}
