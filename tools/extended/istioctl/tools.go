//go:build tools

// Package tools pins istioctl, which `npm run test:extended` builds to
// analyze the mesh suite's applied objects independently of netplumb.
package tools

import _ "istio.io/istio/istioctl/cmd/istioctl"
