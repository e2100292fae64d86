//go:build tools

// Package engine pins the Pulumi engine commands that netplumb builds from Go
// modules when no `pulumi` CLI is on PATH (see scripts/setup-engine.sh).
package engine

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
)
