//go:build tools

// Package metallb pins MetalLB's controller, which the cluster tests run as a
// host process: it assigns LoadBalancer addresses from the pools netplumb
// declares and serves MetalLB's validating webhook (see scripts/setup-cluster.sh).
package metallb

import (
	_ "go.universe.tf/metallb/controller"
)
