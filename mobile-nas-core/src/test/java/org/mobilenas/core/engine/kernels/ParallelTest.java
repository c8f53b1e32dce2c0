package org.mobilenas.core.engine.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** The kernel team: every index once, failures reach the caller, nested and concurrent regions. */
class ParallelTest {
    private static void coverOnce(int n, int parts) {
        AtomicIntegerArray seen = new AtomicIntegerArray(n);
        Parallel.forRange(n, parts, (part, from, to) -> {
            for (int i = from; i < to; i++) {
                seen.incrementAndGet(i);
            }
        });
        for (int i = 0; i < n; i++) {
            assertThat(seen.get(i))
                    .as("index %d of %d in %d parts", i, n, parts)
                    .isEqualTo(1);
        }
    }

    @Test
    void everyIndexRunsExactlyOnceInManyBackToBackRegions() {
        for (int round = 0; round < 2000; round++) {
            coverOnce(1 + round % 37, 1 + round % 5);
        }
    }

    @Test
    void aFailingPartReachesTheCallerAndTheTeamKeepsWorking() {
        assertThatThrownBy(() -> Parallel.forRange(8, 8, (part, from, to) -> {
                    if (part == Parallel.threads() - 1) {
                        throw new IllegalArgumentException("part " + part + " failed");
                    }
                }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("failed");
        coverOnce(100, 4);
    }

    @Test
    void nestedRegionsRunOnTheCallingThread() {
        AtomicIntegerArray seen = new AtomicIntegerArray(64);
        Parallel.forRange(8, 8, (part, from, to) -> {
            for (int i = from; i < to; i++) {
                int row = i;
                Parallel.forRange(8, 8, (p2, f2, t2) -> {
                    for (int j = f2; j < t2; j++) {
                        seen.incrementAndGet(row * 8 + j);
                    }
                });
            }
        });
        for (int i = 0; i < 64; i++) {
            assertThat(seen.get(i)).isEqualTo(1);
        }
    }

    @Test
    void concurrentCallersShareTheTeam() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                futures.add(callers.submit(() -> {
                    for (int round = 0; round < 500; round++) {
                        coverOnce(50 + round % 13, 1 + round % 4);
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            callers.shutdownNow();
        }
    }
}
