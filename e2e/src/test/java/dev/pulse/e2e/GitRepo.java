package dev.pulse.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * A GitOps repository as a user keeps one: a bare repository the {@link GitServer} serves (branch main), and a
 * work tree where the test edits files and commits, each commit pushed at once (as a merge to main would be).
 */
final class GitRepo {

  private final String name;
  private final Path bare;
  private final Path work;

  private GitRepo(String name, Path bare, Path work) {
    this.name = name;
    this.bare = bare;
    this.work = work;
  }

  static GitRepo create(GitServer server, String name, Path work) {
    Path bare = server.root().resolve(name + ".git");
    try {
      Files.createDirectories(bare);
      Files.createDirectories(work);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    GitServer.git(bare, "init", "--bare", "--quiet");
    GitServer.git(work, "init", "--quiet");
    GitServer.git(work, "remote", "add", "origin", bare.toString());
    return new GitRepo(name, bare, work);
  }

  String name() {
    return name;
  }

  Path work() {
    return work;
  }

  GitRepo write(String path, String content) {
    try {
      Path file = work.resolve(path);
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String read(String path) {
    try {
      return Files.readString(work.resolve(path));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Copies a file or a whole folder (of this source tree) to {@code path} in the repository. */
  GitRepo copy(Path from, String path) {
    Path to = work.resolve(path);
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path source : walk.toList()) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes a file or folder from the work tree; the next {@link #commit} records it. */
  GitRepo remove(String path) {
    Path target = work.resolve(path);
    try (Stream<Path> walk = Files.walk(target)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Commits everything changed and pushes it to main; returns the commit's id, as Flux names the revision. */
  String commit(String message) {
    GitServer.git(work, "add", "--all");
    GitServer.git(work, "commit", "--quiet", "-m", message);
    GitServer.git(work, "push", "--quiet", "origin", "HEAD:refs/heads/main");
    return GitServer.git(work, "rev-parse", "HEAD");
  }

  /** A commit that undoes the last one (git revert), pushed. */
  String revertLast() {
    GitServer.git(work, "revert", "--no-edit", "HEAD");
    GitServer.git(work, "push", "--quiet", "origin", "HEAD:refs/heads/main");
    return GitServer.git(work, "rev-parse", "HEAD");
  }
}
