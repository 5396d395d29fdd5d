package io.kardia.core.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;

/**
 * core/v1 Container: the fields controllers read and write; probes, volumeMounts, securityContext
 * and the rest are kept in {@link #extra()}.
 */
public record Container(
        String name,
        String image,
        List<String> command,
        List<String> args,
        String workingDir,
        List<ContainerPort> ports,
        List<EnvVar> env,
        ResourceRequirements resources,
        String imagePullPolicy,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    public Container {
        command = Frozen.list(command);
        args = Frozen.list(args);
        ports = Frozen.list(ports);
        env = Frozen.list(env);
        extra = Frozen.tree(extra);
    }

    public static Container of(String name, String image) {
        return new Container(name, image, null, null, null, null, null, null, null, null);
    }

    public Container withImage(String newImage) {
        return new Container(name, newImage, command, args, workingDir, ports, env, resources, imagePullPolicy, extra);
    }

    public Container withCommand(List<String> newCommand) {
        return new Container(name, image, newCommand, args, workingDir, ports, env, resources, imagePullPolicy, extra);
    }

    public Container withArgs(List<String> newArgs) {
        return new Container(name, image, command, newArgs, workingDir, ports, env, resources, imagePullPolicy, extra);
    }

    public Container withPorts(List<ContainerPort> newPorts) {
        return new Container(name, image, command, args, workingDir, newPorts, env, resources, imagePullPolicy, extra);
    }

    public Container withEnv(List<EnvVar> newEnv) {
        return new Container(name, image, command, args, workingDir, ports, newEnv, resources, imagePullPolicy, extra);
    }

    public Container withResources(ResourceRequirements r) {
        return new Container(name, image, command, args, workingDir, ports, env, r, imagePullPolicy, extra);
    }
}
