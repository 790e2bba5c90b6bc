package org.mlpservice.cluster;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/info}'s {@code cluster}: whether cluster mode is on and, when it is, this replica's
 * id and the replicas that heartbeat.
 */
@Component
class ClusterInfo implements InfoContributor {

    private final ObjectProvider<Replicas> replicas;

    ClusterInfo(ObjectProvider<Replicas> replicas) {
        this.replicas = replicas;
    }

    @Override
    public void contribute(Info.Builder builder) {
        Replicas cluster = replicas.getIfAvailable();
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("enabled", cluster != null);
        if (cluster != null) {
            var live = cluster.live();
            info.put("replicaId", cluster.id());
            info.put("liveReplicas", live.size());
            info.put("replicas", live);
        }
        builder.withDetail("cluster", info);
    }
}
