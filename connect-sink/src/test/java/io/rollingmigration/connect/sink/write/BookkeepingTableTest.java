package io.rollingmigration.connect.sink.write;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rollingmigration.connect.common.dialect.BookkeepingTable;
import io.rollingmigration.connect.common.dialect.PostgresDialect;
import io.rollingmigration.connect.common.dialect.TableId;
import io.rollingmigration.testsupport.PostgresFixture;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The suite's own tables are made by whichever task starts first; the others, at the same moment, find them. */
class BookkeepingTableTest {

    @Test
    void tasksStartingTogetherEachMakeSureOfTheTableAndExactlyOneCreatesIt() throws Exception {
        PostgresFixture postgres = PostgresFixture.shared();
        PostgresDialect dialect = new PostgresDialect();
        int tasks = 6;
        for (int round = 0; round < 5; round++) {
            postgres.execute(PostgresFixture.TARGET, "DROP TABLE IF EXISTS bookkeeping_race");
            CyclicBarrier start = new CyclicBarrier(tasks);
            ExecutorService pool = Executors.newFixedThreadPool(tasks);
            List<Future<Boolean>> created = new ArrayList<>();
            for (int task = 0; task < tasks; task++) {
                Callable<Boolean> ensure = () -> {
                    try (Connection db = postgres.connect(PostgresFixture.TARGET)) {
                        db.setAutoCommit(false);
                        LinkedHashMap<String, String> columns = new LinkedHashMap<>();
                        columns.put("id", "BIGINT NOT NULL");
                        columns.put("note", "VARCHAR(20) NULL");
                        start.await();
                        return BookkeepingTable.ensure(
                                db,
                                dialect,
                                TableId.parse("bookkeeping_race"),
                                columns,
                                List.of("id"),
                                Map.of("bookkeeping_race_note", List.of("note")));
                    }
                };
                created.add(pool.submit(ensure));
            }
            int creators = 0;
            for (Future<Boolean> one : created) {
                creators += one.get() ? 1 : 0;
            }
            pool.shutdown();
            assertEquals(1, creators, "round " + round);
        }
    }
}
