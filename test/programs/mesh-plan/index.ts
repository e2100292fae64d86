// netplumb's mesh components from plans given as JSON config, for the mesh
// suite's Linkerd and bad-input cases.
//
// Config: kubeconfig (path); istio, linkerd (JSON: IstioMeshArgs and
// LinkerdMeshArgs without the connection; either may be absent);
// istioCrdsChart, linkerdCrdsChart (folders; the CRDs are installed when
// set), gatewayApiCrds (folder; installed with Linkerd's CRDs when set).
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { IstioMesh, IstioMeshArgs, LinkerdMesh, LinkerdMeshArgs } from "netplumb";

const config = new pulumi.Config();
const kubeconfig = config.require("kubeconfig");
const provider = new k8s.Provider("test-cluster", { kubeconfig });
const istio = config.getObject<IstioMeshArgs>("istio");
const linkerd = config.getObject<LinkerdMeshArgs>("linkerd");
const istioCrds = config.get("istioCrdsChart");
const linkerdCrds = config.get("linkerdCrdsChart");
const gatewayApiCrds = config.get("gatewayApiCrds");

const meshes: Array<IstioMesh | LinkerdMesh> = [];
if (istio) meshes.push(new IstioMesh("istio", { ...istio, kubeconfig, crds: istioCrds ? { chart: { path: istioCrds } } : undefined }, { provider }));
if (linkerd)
    meshes.push(
        new LinkerdMesh(
            "linkerd",
            {
                ...linkerd,
                kubeconfig,
                crds: linkerdCrds ? { chart: { path: linkerdCrds }, gatewayApiCrds: gatewayApiCrds ? { path: gatewayApiCrds } : undefined } : undefined,
            },
            { provider },
        ),
    );

export const objects = meshes.flatMap((m) => m.objects);
