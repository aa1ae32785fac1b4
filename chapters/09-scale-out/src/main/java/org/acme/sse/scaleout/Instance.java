package org.acme.sse.scaleout;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/** This instance's name, as the page shows it: {@code feed.instance-name}, or host name and process id. */
@ApplicationScoped
public class Instance {

    private final String name;

    Instance(@ConfigProperty(name = "feed.instance-name") Optional<String> configured) {
        this.name = configured.filter(value -> !value.isBlank()).orElseGet(Instance::hostAndPid);
    }

    public String name() {
        return name;
    }

    private static String hostAndPid() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return host + "/" + ProcessHandle.current().pid();
    }
}
