package org.mobilenas.core.search;

import org.mobilenas.core.testing.ControllerContract;

class RegularizedEvolutionContractTest extends ControllerContract {
    @Override
    protected Controller create() {
        return RegularizedEvolution.builder().population(6).sampleSize(3).build();
    }
}
