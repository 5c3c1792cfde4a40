package io.rollingmigration.connect.sink;

import java.util.HashMap;
import java.util.Map;

/** The same contract on PostgreSQL through the COPY-and-merge write path (write.method=auto takes it for large batches). */
class PostgresCopySinkTest extends PostgresSinkTest {

    @Override
    Map<String, String> connection() {
        Map<String, String> connection = new HashMap<>(super.connection());
        connection.put("write.method", "copy");
        return connection;
    }
}
