package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// packageManifest is the part of a package.json that names a resource plugin,
// as @pulumi/kubernetes declares it:
// "pulumi": { "resource": true, "name": "kubernetes", "version": "4.25.0" }.
type packageManifest struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Pulumi  struct {
		Resource bool   `json:"resource"`
		Name     string `json:"name"`
		Version  string `json:"version"`
		Server   string `json:"server"`
	} `json:"pulumi"`
}

// requiredPackages reads every package under the program's node_modules (the
// nearest one from the program's folder up, as Node resolves the program's
// imports; nested ones included, as npm may nest a second version) and returns the
// resource plugins they declare, one per name and version, sorted. As the
// upstream Node language host does: the plugin name is the `pulumi.name`
// field or else the package name without its `@pulumi/` scope, and the
// version is `pulumi.version` or else the package's own version.
func requiredPackages(programDirectory string) ([]*pulumirpc.PackageDependency, error) {
	seen := map[string]*pulumirpc.PackageDependency{}
	root := nearestNodeModules(programDirectory)
	if root == "" {
		return nil, nil
	}
	err := filepath.WalkDir(root, func(path string, entry os.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) && path == root {
				return filepath.SkipAll
			}
			return nil // an unreadable folder holds no plugin we can use
		}
		if entry.IsDir() && entry.Name() == ".bin" {
			return filepath.SkipDir
		}
		if entry.IsDir() || entry.Name() != "package.json" {
			return nil
		}
		if dep := pluginOf(path); dep != nil {
			seen[dep.Name+"@"+dep.Version] = dep
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(seen))
	for key := range seen {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	deps := make([]*pulumirpc.PackageDependency, 0, len(keys))
	for _, key := range keys {
		deps = append(deps, seen[key])
	}
	return deps, nil
}

// pluginOf returns the plugin a package.json declares, or nil. Only a
// package's own manifest counts (node_modules/<name>/package.json or
// node_modules/@scope/<name>/package.json), never files inside its sources.
func pluginOf(manifestPath string) *pulumirpc.PackageDependency {
	dir := filepath.Dir(manifestPath)
	parent := filepath.Base(filepath.Dir(dir))
	grandparent := filepath.Base(filepath.Dir(filepath.Dir(dir)))
	if parent != "node_modules" && !(strings.HasPrefix(parent, "@") && grandparent == "node_modules") {
		return nil
	}
	data, err := os.ReadFile(manifestPath)
	if err != nil {
		return nil
	}
	var manifest packageManifest
	if json.Unmarshal(data, &manifest) != nil || !manifest.Pulumi.Resource {
		return nil
	}
	name := manifest.Pulumi.Name
	if name == "" {
		name = strings.TrimPrefix(manifest.Name, "@pulumi/")
	}
	version := manifest.Pulumi.Version
	if version == "" {
		version = manifest.Version
	}
	if name == "" || version == "" {
		return nil
	}
	return &pulumirpc.PackageDependency{Kind: "resource", Name: name, Version: version, Server: manifest.Pulumi.Server}
}

// nearestNodeModules is the first `node_modules` folder in dir or one of its
// parents, or "" when there is none.
func nearestNodeModules(dir string) string {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	for {
		candidate := filepath.Join(dir, "node_modules")
		if info, err := os.Stat(candidate); err == nil && info.IsDir() {
			return candidate
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// programDirectory is where the program's node_modules are looked for from.
func programDirectory(info *pulumirpc.ProgramInfo) string {
	if info == nil {
		return "."
	}
	if info.ProgramDirectory != "" {
		return info.ProgramDirectory
	}
	return info.RootDirectory
}
