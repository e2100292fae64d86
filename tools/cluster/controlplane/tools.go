//go:build tools

// Package controlplane pins the Kubernetes control plane that the cluster test
// fixture starts: kube-apiserver, kube-controller-manager, kube-scheduler and
// etcd, built in one `go build` so they share compiled packages (see
// scripts/setup-cluster.sh).
package controlplane

import (
	_ "go.etcd.io/etcd/server/v3"
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
)
