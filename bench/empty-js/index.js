// An empty program: what every Pulumi command costs before any resource.
require("@pulumi/pulumi");
