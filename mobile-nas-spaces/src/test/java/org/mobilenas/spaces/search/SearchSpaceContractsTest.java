package org.mobilenas.spaces.search;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.mobilenas.core.search.SearchSpace;
import org.mobilenas.core.testing.SearchSpaceContract;

/** The shared search-space contract on every space this module ships. */
class SearchSpaceContractsTest {
    @Nested
    class MnasNetPaper extends SearchSpaceContract {
        @Override
        protected SearchSpace space() {
            return MnasNetSpace.paper(1000);
        }
    }

    @Nested
    class MnasNetSmallInput extends SearchSpaceContract {
        @Override
        protected SearchSpace space() {
            return MnasNetSpace.smallInput(28, 1, 10, 0.5);
        }
    }

    @Nested
    class MobileNetV2Standard extends SearchSpaceContract {
        @Override
        protected SearchSpace space() {
            return MobileNetV2Space.standard(224, 1000);
        }
    }

    @Nested
    class MobileNetV2SmallInput extends SearchSpaceContract {
        @Override
        protected SearchSpace space() {
            return MobileNetV2Space.smallInput(28, 1, 10, List.of(0.5, 1.0));
        }
    }
}
