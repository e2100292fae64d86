package main

import (
	"os"
	"path/filepath"
	"testing"
)

func writeManifest(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestRequiredPackagesReadsThePulumiFieldOfEveryPackage(t *testing.T) {
	dir := t.TempDir()
	modules := filepath.Join(dir, "node_modules")
	writeManifest(t, filepath.Join(modules, "@pulumi", "kubernetes", "package.json"),
		`{"name":"@pulumi/kubernetes","version":"4.25.0","pulumi":{"resource":true,"name":"kubernetes","version":"4.25.0"}}`)
	// No pulumi.name or pulumi.version: the package name without @pulumi/ and its own version.
	writeManifest(t, filepath.Join(modules, "@pulumi", "random", "package.json"),
		`{"name":"@pulumi/random","version":"4.16.0","pulumi":{"resource":true}}`)
	// A second version nested under another package counts too; a duplicate does not.
	writeManifest(t, filepath.Join(modules, "lib", "node_modules", "@pulumi", "kubernetes", "package.json"),
		`{"name":"@pulumi/kubernetes","version":"4.24.0","pulumi":{"resource":true,"name":"kubernetes","server":"https://example.test"}}`)
	writeManifest(t, filepath.Join(modules, "copy", "node_modules", "@pulumi", "kubernetes", "package.json"),
		`{"name":"@pulumi/kubernetes","version":"4.25.0","pulumi":{"resource":true,"name":"kubernetes","version":"4.25.0"}}`)
	// Not plugins: no pulumi field, resource false, a package.json inside a package's sources, broken JSON.
	writeManifest(t, filepath.Join(modules, "@pulumi", "pulumi", "package.json"), `{"name":"@pulumi/pulumi","version":"3.248.0"}`)
	writeManifest(t, filepath.Join(modules, "netplumb", "package.json"), `{"name":"netplumb","version":"0.1.0","pulumi":{"resource":false}}`)
	writeManifest(t, filepath.Join(modules, "netplumb", "fixtures", "package.json"), `{"name":"x","version":"1.0.0","pulumi":{"resource":true}}`)
	writeManifest(t, filepath.Join(modules, "broken", "package.json"), `{`)

	packages, err := requiredPackages(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range packages {
		got = append(got, p.Kind+" "+p.Name+" "+p.Version+" "+p.Server)
	}
	want := []string{"resource kubernetes 4.24.0 https://example.test", "resource kubernetes 4.25.0 ", "resource random 4.16.0 "}
	if len(got) != len(want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %q, want %q", got, want)
		}
	}
}

func TestRequiredPackagesWithoutPluginsIsEmpty(t *testing.T) {
	// An empty node_modules of its own: the search stops there, whatever the folders above hold.
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "node_modules"), 0o755); err != nil {
		t.Fatal(err)
	}
	packages, err := requiredPackages(dir)
	if err != nil || len(packages) != 0 {
		t.Fatalf("got %v, %v; want none", packages, err)
	}
}

func TestRequiredPackagesFindsTheNearestNodeModulesAbove(t *testing.T) {
	dir := t.TempDir()
	writeManifest(t, filepath.Join(dir, "node_modules", "@pulumi", "kubernetes", "package.json"),
		`{"name":"@pulumi/kubernetes","version":"4.25.0","pulumi":{"resource":true,"name":"kubernetes"}}`)
	program := filepath.Join(dir, "programs", "cluster")
	if err := os.MkdirAll(program, 0o755); err != nil {
		t.Fatal(err)
	}
	packages, err := requiredPackages(program)
	if err != nil || len(packages) != 1 || packages[0].Name != "kubernetes" || packages[0].Version != "4.25.0" {
		t.Fatalf("got %v, %v; want kubernetes 4.25.0 from the parent's node_modules", packages, err)
	}
}

func TestPackageManagerFollowsTheLockFile(t *testing.T) {
	for lock, want := range map[string]string{"": "npm", "package-lock.json": "npm", "yarn.lock": "yarn", "pnpm-lock.yaml": "pnpm"} {
		dir := t.TempDir()
		if lock != "" {
			writeManifest(t, filepath.Join(dir, lock), "")
		}
		if got := packageManager(dir); got != want {
			t.Errorf("with %q: got %s, want %s", lock, got, want)
		}
	}
}
