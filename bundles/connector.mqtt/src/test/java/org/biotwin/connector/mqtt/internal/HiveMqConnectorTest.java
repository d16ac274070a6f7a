package org.biotwin.connector.mqtt.internal;

import java.nio.file.Path;

/** The connector contract against HiveMQ CE 2025.5 embedded in the test JVM. */
class HiveMqConnectorTest extends ConnectorContractTest {

    @Override
    Broker newBroker(Path dir) throws Exception {
        return new HiveMqBroker(dir);
    }

    @Override
    boolean splitsEvenly() {
        return false;
    }
}
