// Command terraform-provider-aiven (SCHEMA STAND-IN) serves the documented schema of the
// Aiven Terraform provider v4.61.0 over the Terraform plugin protocol v6.
//
// This is NOT the Aiven provider. The test bed uses it only when the real provider cannot be
// installed (`go install github.com/aiven/terraform-provider-aiven@v4.61.0` is refused by the
// module proxy in the test environment). It lets real Terraform run `init`, `validate` and
// `providers schema -json` against the provider's documented schema: attribute names, types,
// required/optional/computed flags, block nesting and item limits. It answers validation RPCs
// with no diagnostics, makes no API calls, and refuses to apply, import or read data sources.
//
// The schema is embedded at build time from `schema.json`, a copy of the committed fixture
// `tests/fixtures/aiven-provider-schema.json` placed beside this file by
// `tests/testbed/setup-terraform.sh`.
package main

import (
	_ "embed"
	"fmt"
	"os"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
)

// providerAddress is the registry address Terraform knows the provider by.
const providerAddress = "registry.terraform.io/aiven/aiven"

//go:embed schema.json
var schemaJSON []byte

func main() {
	schema, err := loadProviderSchema(schemaJSON, providerAddress)
	if err != nil {
		fmt.Fprintf(os.Stderr, "aiven provider schema stand-in: %v\n", err)
		os.Exit(1)
	}
	server := newStandinServer(schema)
	if err := tf6server.Serve(providerAddress, func() tfprotov6.ProviderServer { return server }); err != nil {
		fmt.Fprintf(os.Stderr, "aiven provider schema stand-in: %v\n", err)
		os.Exit(1)
	}
}
