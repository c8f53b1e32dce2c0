package org.mobilenas.latency;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.mobilenas.core.cost.Costs;
import org.mobilenas.core.latency.LatencyModel;
import org.mobilenas.core.spec.NetworkSpec;
import org.mobilenas.core.testing.LatencyModelContract;
import org.mobilenas.core.testing.RandomSpecs;
import org.mobilenas.latency.analytic.AnalyticLatencyModel;
import org.mobilenas.latency.measure.FakeMeasurer;
import org.mobilenas.latency.measure.MeasuredLatencyModel;
import org.mobilenas.latency.table.Interpolation;
import org.mobilenas.latency.table.LatencyTable;
import org.mobilenas.latency.table.LatencyTableBuilder;
import org.mobilenas.latency.table.TableLatencyModel;

/** The shared latency-model contract on every model this module ships, over random networks of every block kind. */
class LatencyModelContractsTest {
    static final List<NetworkSpec> NETS =
            java.util.stream.LongStream.range(0, 12).mapToObj(RandomSpecs::of).toList();
    static final LatencyTable TABLE = LatencyTableBuilder.with(new FakeMeasurer())
            .specs(NETS)
            .progress(false)
            .build();

    /** The contract over {@link #NETS}. */
    abstract static class OnRandomNetworks extends LatencyModelContract {
        @Override
        protected List<NetworkSpec> networks() {
            return NETS;
        }
    }

    @Nested
    class LookupTable extends OnRandomNetworks {
        @Override
        protected LatencyModel model() {
            return TableLatencyModel.builder(TABLE)
                    .interpolation(Interpolation.CHANNELS)
                    .build();
        }
    }

    @Nested
    class Analytic extends OnRandomNetworks {
        @Override
        protected LatencyModel model() {
            return AnalyticLatencyModel.fit(TABLE, AnalyticLatencyModel.Features.ROOFLINE);
        }
    }

    @Nested
    class Measured extends OnRandomNetworks {
        @Override
        protected LatencyModel model() {
            return MeasuredLatencyModel.of(new FakeMeasurer());
        }
    }

    @Nested
    class FromAFunctionWithOverhead extends OnRandomNetworks {
        @Override
        protected LatencyModel model() {
            return LatencyModel.of("macs", s -> Costs.of(s).macs() / 1e6).plus(0.25);
        }
    }
}
