import * as pulumi from "@pulumi/pulumi";
import { ChartSource } from "../model/cluster/charts";
import { manifestFile } from "./charts";
import { kubernetes } from "./kubernetes";

/**
 * Gateway API's CRDs (standard channel, v1.4.0) as a ConfigGroup child of
 * `owner`: from the release's `standard-install.yaml` on GitHub by default,
 * or a local `path` naming that file or a folder of the release's
 * `gateway.networking.k8s.io_*.yaml` files. Removed on destroy. Equivalent
 * to `kubectl apply -f standard-install.yaml`.
 */
export function installGatewayApiCrds(
    owner: pulumi.Resource,
    name: string,
    component: string,
    source: ChartSource | undefined,
    property: string,
): pulumi.Resource {
    const k8s = kubernetes(component);
    const files = [manifestFile("gatewayApiCrds", source, property, "gateway.networking.k8s.io_*.yaml", owner)];
    return new k8s.yaml.v2.ConfigGroup(`${name}-gateway-api-crds`, { files }, { parent: owner });
}
