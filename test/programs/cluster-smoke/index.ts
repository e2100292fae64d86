// A Namespace and a ConfigMap on the test cluster through @pulumi/kubernetes:
// proves the provider plugin built by setup is found (the language host
// reports it from the package's `pulumi` field) and that Pulumi's await logic
// runs against the real API server.
//
// Config: kubeconfig (path), namespace (name), mtu (string, default "1450").
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
// ConfigMaps change in place (the provider replaces them by default, to roll workloads that mount them).
const provider = new k8s.Provider("test-cluster", { kubeconfig: config.require("kubeconfig"), enableConfigMapMutable: true });
const namespace = new k8s.core.v1.Namespace("smoke", { metadata: { name: config.require("namespace") } }, { provider });
new k8s.core.v1.ConfigMap(
    "settings",
    { metadata: { namespace: namespace.metadata.name, name: "settings" }, data: { mtu: config.get("mtu") ?? "1450" } },
    { provider },
);

export const namespaceName = namespace.metadata.name;
