package main

import (
	"os"
	"os/exec"
	"path/filepath"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
)

// InstallDependencies installs the program's packages with the package
// manager its lock file names (`npm install` by default, `yarn install` with a
// yarn.lock, `pnpm install` with a pnpm-lock.yaml), in the program's folder,
// streaming the manager's output to the engine (`pulumi install`, `pulumi new`).
func (h *nodeHost) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest, stream grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	dir := programDirectory(req.GetInfo())
	if req.GetInfo() == nil && req.GetDirectory() != "" { // older engines send only the deprecated Directory
		dir = req.GetDirectory()
	}
	cmd := exec.Command(packageManager(dir), "install")
	cmd.Dir = dir
	cmd.Stdout = streamWriter{stream: stream}
	cmd.Stderr = streamWriter{stream: stream, stderr: true}
	return cmd.Run()
}

// packageManager names the manager a lock file in dir asks for.
func packageManager(dir string) string {
	for _, lock := range []struct{ file, manager string }{{"pnpm-lock.yaml", "pnpm"}, {"yarn.lock", "yarn"}} {
		if _, err := os.Stat(filepath.Join(dir, lock.file)); err == nil {
			return lock.manager
		}
	}
	return "npm"
}

// streamWriter sends what a child process writes to the engine as it comes.
type streamWriter struct {
	stream grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse]
	stderr bool
}

func (w streamWriter) Write(p []byte) (int, error) {
	chunk := append([]byte(nil), p...)
	response := &pulumirpc.InstallDependenciesResponse{Stdout: chunk}
	if w.stderr {
		response = &pulumirpc.InstallDependenciesResponse{Stderr: chunk}
	}
	if err := w.stream.Send(response); err != nil {
		return 0, err
	}
	return len(p), nil
}
