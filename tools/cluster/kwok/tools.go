//go:build tools

// Package kwok pins kwok, which runs simulated nodes and pods against the test
// control plane so Deployments and DaemonSets become Ready (see
// scripts/setup-cluster.sh).
package kwok

import (
	_ "sigs.k8s.io/kwok/cmd/kwok"
)
