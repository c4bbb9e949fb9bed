package io.capipc.system.file;

import io.capipc.servers.IpcException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The file server's path checks: a path a client sends is an allegation (in Hubris's word) until it
 * has become a real path inside the served directory. In order:
 *
 * <ol>
 *   <li>length: 1..{@value #MAX_PATH} bytes, each component at most {@value #MAX_COMPONENT}
 *       (PATH_TOO_LONG; empty: BAD_PATH);
 *   <li>form: strict UTF-8, no NUL, relative, no empty or {@code .} component (BAD_PATH), except
 *       {@code .} alone, the served directory itself;
 *   <li>no {@code ..} component at all (ESCAPES_ROOT): the check is on the text, before the file
 *       system is asked anything;
 *   <li>symbolic links: an existing path is resolved to its real path (every link followed), which
 *       must lie inside the served directory's real path (ESCAPES_ROOT); a path that does not exist
 *       yet (CREATE) must have a real parent inside it, and a dangling link is never followed to make
 *       a file (ESCAPES_ROOT). The file server then opens the real path with NOFOLLOW_LINKS.
 * </ol>
 *
 * <p>What this does not close: a directory inside the served one replaced by a link between the check
 * and the open (a race with someone who can write the served directory on the host).
 */
public final class PathGuard {
    /** The longest path, in bytes. */
    public static final int MAX_PATH = 1024;
    /** The longest component of a path, in bytes (the usual NAME_MAX). */
    public static final int MAX_COMPONENT = 255;

    private final Path root;

    /** A guard for the directory {@code root} (which must exist). */
    public PathGuard(Path root) {
        try {
            this.root = root.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("the served directory " + root + " cannot be resolved", e);
        }
        if (!Files.isDirectory(this.root)) {
            throw new IllegalArgumentException(root + " is not a directory");
        }
    }

    /** The served directory's real path. */
    public Path root() {
        return root;
    }

    /**
     * The real path that {@code length} bytes of {@code bytes} name inside the served directory.
     *
     * @param mayNotExist true to accept a path that does not exist yet (to create it)
     * @throws IpcException BAD_PATH, PATH_TOO_LONG, ESCAPES_ROOT, NOT_FOUND, IO_ERROR
     */
    public Path resolve(byte[] bytes, int length, boolean mayNotExist) throws IpcException {
        String text = text(bytes, length);
        if (text.equals(".")) {
            return root;
        }
        checkComponents(text);
        Path p = root.resolve(text);
        try {
            Path real = p.toRealPath();
            if (!real.startsWith(root)) {
                throw IpcException.of(FileService.Error.ESCAPES_ROOT);
            }
            return real;
        } catch (NoSuchFileException e) {
            return absent(p, mayNotExist);
        } catch (IOException e) {
            throw IpcException.of(FileService.Error.IO_ERROR);
        }
    }

    private Path absent(Path p, boolean mayNotExist) throws IpcException {
        if (Files.isSymbolicLink(p)) {
            throw IpcException.of(FileService.Error.ESCAPES_ROOT); // dangling: where it leads is not ours to make
        }
        Path parent = p.getParent();
        Path name = p.getFileName();
        if (parent == null || name == null) {
            throw IpcException.of(FileService.Error.BAD_PATH);
        }
        Path realParent;
        try {
            realParent = parent.toRealPath();
        } catch (IOException e) {
            throw IpcException.of(FileService.Error.NOT_FOUND);
        }
        if (!realParent.startsWith(root)) {
            throw IpcException.of(FileService.Error.ESCAPES_ROOT);
        }
        if (!mayNotExist || !Files.isDirectory(realParent, LinkOption.NOFOLLOW_LINKS)) {
            throw IpcException.of(FileService.Error.NOT_FOUND);
        }
        return realParent.resolve(name);
    }

    private static String text(byte[] bytes, int length) throws IpcException {
        if (length < 1) {
            throw IpcException.of(FileService.Error.BAD_PATH);
        }
        if (length > MAX_PATH) {
            throw IpcException.of(FileService.Error.PATH_TOO_LONG);
        }
        for (int i = 0; i < length; i++) {
            if (bytes[i] == 0) {
                throw IpcException.of(FileService.Error.BAD_PATH);
            }
        }
        if (bytes[0] == '/') {
            throw IpcException.of(FileService.Error.BAD_PATH);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, length))
                    .toString();
        } catch (CharacterCodingException e) {
            throw IpcException.of(FileService.Error.BAD_PATH);
        }
    }

    private static void checkComponents(String text) throws IpcException {
        boolean escapes = false;
        for (String c : text.split("/", -1)) {
            if (c.isEmpty() || c.equals(".")) {
                throw IpcException.of(FileService.Error.BAD_PATH);
            }
            if (c.equals("..")) {
                escapes = true;
            }
            if (c.getBytes(StandardCharsets.UTF_8).length > MAX_COMPONENT) {
                throw IpcException.of(FileService.Error.PATH_TOO_LONG);
            }
        }
        if (escapes) {
            throw IpcException.of(FileService.Error.ESCAPES_ROOT);
        }
    }
}
