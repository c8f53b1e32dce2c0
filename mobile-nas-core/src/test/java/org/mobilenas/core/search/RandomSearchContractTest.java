package org.mobilenas.core.search;

import org.mobilenas.core.testing.ControllerContract;

class RandomSearchContractTest extends ControllerContract {
    @Override
    protected Controller create() {
        return new RandomSearch();
    }
}
