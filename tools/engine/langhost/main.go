// Command pulumi-language-nodejs is netplumb's minimal Node.js language host
// for the Pulumi engine.
//
// The upstream host lives in its own Go module, which the Go module proxy
// reachable from netplumb's machines does not serve. This host implements the
// part of the LanguageRuntime gRPC service that `pulumi up/preview/refresh/
// destroy` need for a Node.js program: it runs the program through the
// `cmd/run` script of the program's own @pulumi/pulumi package, passing the
// monitor and engine addresses, project, stack and configuration. It reports
// no required plugins (dynamic providers need none) and leaves dependency
// installation to npm.
//
// Protocol: the engine starts the host with flags followed by the engine's
// address as the last argument; the host prints the port it listens on.
package main

import (
	"fmt"
	"net"
	"os"
	"strings"
	"time"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
)

func main() {
	engineAddress := lastPositional(os.Args[1:])
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: listen: %v\n", err)
		os.Exit(1)
	}
	server := grpc.NewServer(grpc.MaxRecvMsgSize(400 * 1024 * 1024))
	pulumirpc.RegisterLanguageRuntimeServer(server, newNodeHost(engineAddress))
	fmt.Printf("%d\n", listener.Addr().(*net.TCPAddr).Port)
	go exitWithParent(os.Getppid())
	if err := server.Serve(listener); err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: serve: %v\n", err)
		os.Exit(1)
	}
}

// exitWithParent ends the host when the engine that started it is gone
// (killed with SIGKILL, say), so no orphaned host outlives its engine.
func exitWithParent(parent int) {
	for range time.Tick(time.Second) {
		if os.Getppid() != parent {
			os.Exit(1)
		}
	}
}

// lastPositional returns the last argument that is not a flag: the engine
// passes its address last, after flags such as -tracing or -root.
func lastPositional(args []string) string {
	for i := len(args) - 1; i >= 0; i-- {
		if !strings.HasPrefix(args[i], "-") {
			return args[i]
		}
	}
	return ""
}
