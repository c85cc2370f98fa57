package dev.scyllaes.local;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.apache.cassandra.utils.JsonUtils;

/**
 * The emulator's admin endpoint on 127.0.0.1, with the JDK's built-in HTTP server:
 * <ul>
 * <li>{@code POST /generations[?delaySeconds=5]} starts a new CDC generation that far in the future, answers {@code {"time": ms}}</li>
 * <li>{@code GET /generations} lists the generations</li>
 * <li>{@code GET /health} is 200 while the emulator keeps up its passes, else 503</li>
 * <li>{@code GET /status} tells its position and lag</li>
 * </ul>
 */
final class AdminServer
{
    private static final Logger logger = LoggerFactory.getLogger(AdminServer.class);
    private static final int DEFAULT_DELAY_SECONDS = 5;

    private final HttpServer server;
    private final Generations generations;
    private final EmulatorStatus status;

    private AdminServer(HttpServer server, Generations generations, EmulatorStatus status)
    {
        this.server = server;
        this.generations = generations;
        this.status = status;
    }

    static AdminServer start(int port, Generations generations, EmulatorStatus status) throws IOException
    {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        AdminServer admin = new AdminServer(server, generations, status);
        server.createContext("/generations", admin::generations);
        server.createContext("/health", exchange -> admin.answer(exchange, "GET", status.healthy() ? 200 : 503,
                                                                 Map.of("healthy", status.healthy())));
        server.createContext("/status", exchange -> admin.answer(exchange, "GET", 200, status.toMap()));
        server.setExecutor(Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "cdc-admin-http");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
        logger.info("CDC admin endpoint on http://127.0.0.1:{}/", port);
        return admin;
    }

    void stop()
    {
        server.stop(0);
    }

    private void generations(HttpExchange exchange) throws IOException
    {
        if (exchange.getRequestMethod().equals("POST"))
        {
            long delayMillis;
            try
            {
                delayMillis = TimeUnit.SECONDS.toMillis(delaySeconds(exchange.getRequestURI().getQuery()));
            }
            catch (NumberFormatException e)
            {
                answer(exchange, "POST", 400, Map.of("error", "delaySeconds must be a whole number of seconds"));
                return;
            }
            Generation created = generations.create(System.currentTimeMillis() + delayMillis);
            answer(exchange, "POST", 200, Map.of("time", created.timeMillis()));
            return;
        }
        List<Map<String, Object>> listed = generations.all().stream().map(generation -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("time", generation.timeMillis());
            entry.put("ranges", generation.rangeEnds().length);
            entry.put("streams", generation.streamCount());
            return entry;
        }).toList();
        answer(exchange, "GET", 200, Map.of("generations", listed));
    }

    private static int delaySeconds(String query)
    {
        if (query != null)
            for (String parameter : query.split("&"))
                if (parameter.startsWith("delaySeconds="))
                    return Math.max(0, Integer.parseInt(parameter.substring("delaySeconds=".length())));
        return DEFAULT_DELAY_SECONDS;
    }

    private void answer(HttpExchange exchange, String method, int code, Object body) throws IOException
    {
        try (exchange)
        {
            if (!exchange.getRequestMethod().equals(method))
            {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] json = JsonUtils.writeAsJsonBytes(body);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(code, json.length);
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write(json);
            }
        }
    }
}
