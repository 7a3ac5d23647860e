package dev.spor.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The proxy the outage test stands on: it forwards, and a cut leaves no connection through it,
 * not even one accepted while the cut happened (the outage test once saw one survive).
 */
class TcpProxyTest {
    private ServerSocket echo;

    @BeforeEach
    void startEcho() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket s = echo.accept();
                    Thread pipe = new Thread(() -> {
                        try (Socket connection = s) {
                            InputStream in = connection.getInputStream();
                            OutputStream out = connection.getOutputStream();
                            in.transferTo(out);
                        } catch (IOException e) {
                            // the other side went away
                        }
                    });
                    pipe.setDaemon(true);
                    pipe.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        accept.setDaemon(true);
        accept.start();
    }

    @AfterEach
    void stopEcho() throws IOException {
        echo.close();
    }

    private static int roundTrip(Socket socket, int value) throws IOException {
        socket.getOutputStream().write(value);
        socket.getOutputStream().flush();
        return socket.getInputStream().read();
    }

    @Test
    void forwards_cutSeversAndRefuses_restoreForwardsAgain() throws Exception {
        try (TcpProxy proxy = TcpProxy.start(echo.getLocalPort())) {
            try (Socket before = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
                before.setSoTimeout(5_000);
                assertThat(roundTrip(before, 42)).isEqualTo(42);

                proxy.cut();

                assertThat(readAfterCut(before)).as("the open connection is severed").isEqualTo(-1);
            }
            assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), proxy.port()))
                    .isInstanceOf(ConnectException.class);

            proxy.restore();
            try (Socket after = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
                after.setSoTimeout(5_000);
                assertThat(roundTrip(after, 7)).isEqualTo(7);
            }
        }
    }

    /** Connections opened while a cut happens (20 proxies, each cut under a stream of connects): none outlives it. */
    @Test
    void connectionsOpenedDuringACut_noneOutlivesIt() throws Exception {
        java.util.List<Socket> sockets = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        for (int round = 0; round < 20; round++) {
            try (TcpProxy proxy = TcpProxy.start(echo.getLocalPort())) {
                Thread connecting = new Thread(() -> {
                    for (int i = 0; i < 30; i++) {
                        try {
                            Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
                            s.setSoTimeout(2_000);
                            sockets.add(s);
                        } catch (IOException refused) {
                            return; // cut
                        }
                    }
                });
                connecting.start();
                Thread.sleep(round % 5); // cut at a different point of the stream each round
                proxy.cut();
                connecting.join();
            }
        }
        Thread.sleep(200); // let the proxies' last accepts finish
        int carried = 0;
        for (Socket s : sockets) {
            if (readAfterCut(s) != -1) {
                carried++;
            }
            s.close();
        }
        assertThat(sockets).isNotEmpty();
        assertThat(carried).as("connections still forwarding after their proxy was cut").isZero();
    }

    /** What a round trip gives once the proxy is cut: -1 when the connection ended (or a write failed). */
    private static int readAfterCut(Socket socket) {
        try {
            return roundTrip(socket, 1);
        } catch (IOException e) {
            return -1;
        }
    }
}
