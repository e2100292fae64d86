//go:build tools

// Package traefik pins Traefik, the default Gateway API controller, which the
// cluster tests run as a host process (see scripts/setup-cluster.sh).
package traefik

import (
	_ "github.com/traefik/traefik/v3/cmd/traefik"
)
