// netplumb's Cni component on the test cluster, at the API level (the
// plugins themselves do not run on these machines).
//
// Config: kubeconfig (path), chartMirror (folder), plugin ("calico-manifest"
// or "flannel"), podCidr, mtu (number, optional).
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Cni } from "netplumb";

const config = new pulumi.Config();
const provider = new k8s.Provider("test-cluster", { kubeconfig: config.require("kubeconfig") });
const mirror = config.require("chartMirror");
const podCidr = config.require("podCidr");
const mtu = config.getNumber("mtu");

const cni =
    config.require("plugin") === "flannel"
        ? new Cni("cni", { flannel: { podCidr, backend: "host-gw", mtu }, chart: { path: `${mirror}/kube-flannel-0.28.9` } }, { provider })
        : new Cni(
              "cni",
              { calico: { podCidr, install: "manifest", encapsulation: "VXLAN", mtu }, chart: { path: `${mirror}/calico-manifest-3.31.7` } },
              { provider },
          );

export const plugin = cni.plugin;
