package org.mobilenas.core.search;

import org.mobilenas.core.testing.ControllerContract;

class RlControllerContractTest extends ControllerContract {
    @Override
    protected Controller create() {
        return RlController.builder().hidden(16).build();
    }
}
