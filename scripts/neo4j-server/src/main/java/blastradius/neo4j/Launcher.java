package blastradius.neo4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.TreeMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.logging.log4j.Log4jLogProvider;

/**
 * Runs an embedded Neo4j community DBMS with a Bolt listener, for local development and CI.
 *
 * <p>System properties (set by scripts/neo4j):
 * <ul>
 *   <li>{@code blast.neo4j.home} – DBMS home (data/ and logs/ go below it); required</li>
 *   <li>{@code blast.neo4j.host} – Bolt listen host, default 127.0.0.1</li>
 *   <li>{@code blast.neo4j.port} – Bolt listen port, default 7687</li>
 *   <li>{@code blast.neo4j.pagecache} – page cache size, e.g. 1g</li>
 *   <li>{@code blast.neo4j.ready} – file written (atomically) once the DBMS answers; holds the version</li>
 *   <li>{@code neo4j.conf.<setting>=<value>} – any further Neo4j setting, raw</li>
 * </ul>
 * Authentication is disabled: drivers may send any credentials.
 */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) throws Exception {
        Path home = Path.of(required("blast.neo4j.home")).toAbsolutePath();
        String host = System.getProperty("blast.neo4j.host", "127.0.0.1");
        int port = Integer.parseInt(System.getProperty("blast.neo4j.port", "7687"));
        String pageCache = System.getProperty("blast.neo4j.pagecache", "1g");
        String readyProp = System.getProperty("blast.neo4j.ready");
        Path ready = readyProp == null ? null : Path.of(readyProp).toAbsolutePath();
        if (ready != null) {
            Files.deleteIfExists(ready);
        }

        Map<String, String> raw = new TreeMap<>();
        raw.put("server.memory.pagecache.size", pageCache);
        // A throw-away dev/test server: keep transaction logs small and don't preallocate them.
        raw.put("db.tx_log.rotation.retention_policy", "2 files");
        raw.put("db.tx_log.rotation.size", "64M");
        raw.put("db.tx_log.preallocate", "false");
        raw.put("dbms.usage_report.enabled", "false");
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith("neo4j.conf.")) {
                raw.put(name.substring("neo4j.conf.".length()), System.getProperty(name));
            }
        }

        Files.createDirectories(home);
        Path conf = home.resolve("launcher.conf");
        StringBuilder text = new StringBuilder("# written by blastradius.neo4j.Launcher at every start\n");
        raw.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Files.writeString(conf, text);

        long t0 = System.nanoTime();
        System.out.printf("launcher: starting Neo4j, home %s, bolt %s:%d, page cache %s%n", home, host, port, pageCache);
        DatabaseManagementService dbms;
        try {
            dbms = new DatabaseManagementServiceBuilder(home)
                    .setUserLogProvider(new Log4jLogProvider(System.out))
                    .loadPropertiesFromFile(conf)
                    .setConfig(BoltConnector.enabled, true)
                    .setConfig(BoltConnector.listen_address, new SocketAddress(host, port))
                    .setConfig(BoltConnector.advertised_address, new SocketAddress(host, port))
                    .setConfig(GraphDatabaseSettings.auth_enabled, false)
                    .build();
        } catch (Throwable t) {
            System.out.println("launcher: Neo4j failed to start");
            t.printStackTrace(System.out);
            System.out.flush();
            Runtime.getRuntime().halt(1);
            return;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("launcher: shutting down");
            try {
                if (ready != null) {
                    Files.deleteIfExists(ready);
                }
            } catch (IOException ignored) {
                // best effort
            }
            try {
                dbms.shutdown();
                System.out.println("launcher: stopped");
            } catch (Throwable t) {
                t.printStackTrace(System.out);
            } finally {
                stopped.countDown();
            }
        }, "neo4j-shutdown"));

        try {
            awaitReady(dbms, host, port, ready, t0);
        } catch (Throwable t) {
            System.out.println("launcher: Neo4j started but does not answer, exiting");
            t.printStackTrace(System.out);
            System.exit(1); // the shutdown hook shuts the DBMS down
        }
        stopped.await();
    }

    private static void awaitReady(DatabaseManagementService dbms, String host, int port, Path ready, long t0)
            throws IOException {
        GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        String version = db.executeTransactionally(
                "CALL dbms.components() YIELD name, versions, edition "
                        + "WHERE name = 'Neo4j Kernel' RETURN versions[0] + ' ' + edition AS v",
                Map.of(),
                r -> r.hasNext() ? (String) r.next().get("v") : "unknown");
        db.executeTransactionally("RETURN 1");
        System.out.printf("launcher: Neo4j %s ready on bolt://%s:%d in %d ms (pid %d)%n",
                version, host, port, (System.nanoTime() - t0) / 1_000_000, ProcessHandle.current().pid());
        System.out.flush();

        if (ready != null) {
            Path tmp = ready.resolveSibling(ready.getFileName() + ".tmp");
            Files.writeString(tmp, version.split(" ")[0] + "\n");
            Files.move(tmp, ready, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private static String required(String name) {
        String v = System.getProperty(name);
        if (v == null || v.isBlank()) {
            System.err.println("launcher: missing -D" + name);
            System.exit(2);
        }
        return v;
    }
}
