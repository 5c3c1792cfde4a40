package io.rollingmigration.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The network between one client and a database that other clients reach directly: a TCP relay on a port of its
 * own, so that a test can take the database away from that client alone (cut: connections reset and refused, as a
 * restarting server does) or hang it (every byte held, as a frozen server or a dropped route does) while the
 * database itself, and everyone else using it, runs on.
 */
public final class DatabaseLink implements AutoCloseable {

    private final String targetHost;
    private final int targetPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Object hang = new Object();
    private volatile boolean hung;
    private volatile boolean closed;
    private volatile ServerSocket listener;
    private final int port;

    private DatabaseLink(String targetHost, int targetPort) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.listener = listen(0);
        this.port = listener.getLocalPort();
        startAccepting(listener);
    }

    /** A link to the database at host:port, listening on a free local port. */
    public static DatabaseLink to(String host, int port) {
        return new DatabaseLink(host, port);
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    /** Resets every open connection and refuses new ones until {@link #restore()}. */
    public synchronized void cut() {
        closeQuietly(listener);
        listener = null;
        for (Socket socket : open) {
            closeQuietly(socket);
        }
        open.clear();
    }

    /** Holds every byte in both directions, on open and new connections, until {@link #restore()}. */
    public void hang() {
        hung = true;
    }

    /** Lets traffic flow again and accepts connections again. */
    public synchronized void restore() {
        synchronized (hang) {
            hung = false;
            hang.notifyAll();
        }
        if (listener == null && !closed) {
            listener = listen(port);
            startAccepting(listener);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        cut();
        restore();
    }

    private static ServerSocket listen(int port) {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot listen on port " + port, e);
        }
    }

    private void startAccepting(ServerSocket server) {
        Thread accepting = new Thread(
                () -> {
                    while (!server.isClosed()) {
                        try {
                            relay(server.accept());
                        } catch (IOException e) {
                            // Closed by cut() or close(): this listener's work is over.
                        }
                    }
                },
                "database-link-" + port);
        accepting.setDaemon(true);
        accepting.start();
    }

    private void relay(Socket client) throws IOException {
        Socket database;
        try {
            database = new Socket(targetHost, targetPort);
        } catch (IOException e) {
            closeQuietly(client);
            return;
        }
        open.add(client);
        open.add(database);
        pump(client, database);
        pump(database, client);
    }

    private void pump(Socket from, Socket to) {
        Thread pumping = new Thread(
                () -> {
                    byte[] buffer = new byte[16 * 1024];
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        int read;
                        while ((read = in.read(buffer)) >= 0) {
                            awaitFlowing();
                            out.write(buffer, 0, read);
                            out.flush();
                        }
                    } catch (IOException | InterruptedException e) {
                        // One side went away (or the link was cut): the other side goes too, below.
                    } finally {
                        closeQuietly(from);
                        closeQuietly(to);
                        open.remove(from);
                        open.remove(to);
                    }
                },
                "database-link-pump-" + port);
        pumping.setDaemon(true);
        pumping.start();
    }

    private void awaitFlowing() throws InterruptedException {
        synchronized (hang) {
            while (hung) {
                hang.wait();
            }
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            // Already closed.
        }
    }
}
