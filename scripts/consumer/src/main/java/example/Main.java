package example;

import java.util.List;
import org.mobilenas.core.cost.Costs;
import org.mobilenas.core.search.Evaluator;
import org.mobilenas.core.search.RandomSearch;
import org.mobilenas.core.search.RewardFunction;
import org.mobilenas.core.search.Search;
import org.mobilenas.core.search.SearchResult;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.latency.measure.JvmLatencyMeasurer;
import org.mobilenas.latency.table.LatencyTable;
import org.mobilenas.latency.table.LatencyTableBuilder;
import org.mobilenas.latency.table.TableLatencyModel;
import org.mobilenas.spaces.catalog.Catalog;
import org.mobilenas.spaces.search.MnasNetSpace;

/** A catalogue cost table, a latency table of this JVM, and a short search priced by it. */
public final class Main {
    public static void main(String[] args) {
        for (String name : List.of("mobilenet_v2_1.0", "mnasnet_a1", "shufflenet_v2_1.0")) {
            Costs c = Costs.of(Catalog.get(name));
            System.out.printf("%-20s %8.1f MMACs %6.2f M params%n", name, c.macs() / 1e6, c.params() / 1e6);
        }
        MnasNetSpace space = MnasNetSpace.smallInput(28, 1, 10, 0.25);
        LatencyTable table = LatencyTableBuilder.with(JvmLatencyMeasurer.builder().build())
                .space(space, 8, 1).progress(false).build();
        TableLatencyModel lut = TableLatencyModel.of(table);
        NetworkSpec first = space.decode(space.sample(new java.util.SplittableRandom(1)));
        double target = lut.predictMs(first);
        System.out.printf("latency table: %d keys; target %.3f ms%n", table.entries().size(), target);
        SearchResult r = Search.builder(space).controller(new RandomSearch()).reward(RewardFunction.soft(target))
                .latency(lut).evaluator(Evaluator.of(s -> 1 - 1 / (1 + Costs.of(s).params() / 1e5))).batchSize(4)
                .seed(1).build().run(2);
        System.out.printf("search: %d candidates, best %s%n", r.candidates().size(), r.best().name());
    }
}
