// Loading of a `terraform providers schema -json` document into plugin-protocol schemas.
package main

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// schemaDocument is the top level of `terraform providers schema -json` output.
type schemaDocument struct {
	FormatVersion   string                              `json:"format_version"`
	ProviderSchemas map[string]*providerSchemasDocument `json:"provider_schemas"`
}

type providerSchemasDocument struct {
	Provider          *schemaEntry            `json:"provider"`
	ResourceSchemas   map[string]*schemaEntry `json:"resource_schemas"`
	DataSourceSchemas map[string]*schemaEntry `json:"data_source_schemas"`
}

type schemaEntry struct {
	Version int64        `json:"version"`
	Block   *blockSchema `json:"block"`
}

type blockSchema struct {
	Attributes      map[string]*attributeSchema `json:"attributes"`
	BlockTypes      map[string]*blockTypeSchema `json:"block_types"`
	Description     string                      `json:"description"`
	DescriptionKind string                      `json:"description_kind"`
	Deprecated      bool                        `json:"deprecated"`
}

type attributeSchema struct {
	Type            json.RawMessage `json:"type"`
	Description     string          `json:"description"`
	DescriptionKind string          `json:"description_kind"`
	Deprecated      bool            `json:"deprecated"`
	Required        bool            `json:"required"`
	Optional        bool            `json:"optional"`
	Computed        bool            `json:"computed"`
	Sensitive       bool            `json:"sensitive"`
	WriteOnly       bool            `json:"write_only"`
}

type blockTypeSchema struct {
	NestingMode string       `json:"nesting_mode"`
	Block       *blockSchema `json:"block"`
	MinItems    int64        `json:"min_items"`
	MaxItems    int64        `json:"max_items"`
}

// providerSchema holds the converted schemas served over the protocol.
type providerSchema struct {
	Provider    *tfprotov6.Schema
	Resources   map[string]*tfprotov6.Schema
	DataSources map[string]*tfprotov6.Schema
}

// loadProviderSchema parses the JSON document and converts the schemas of one provider.
func loadProviderSchema(raw []byte, address string) (*providerSchema, error) {
	var doc schemaDocument
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("parsing schema JSON: %w", err)
	}
	entry, ok := doc.ProviderSchemas[address]
	if !ok {
		return nil, fmt.Errorf("schema JSON has no provider %q", address)
	}
	out := &providerSchema{
		Resources:   map[string]*tfprotov6.Schema{},
		DataSources: map[string]*tfprotov6.Schema{},
	}
	var err error
	if out.Provider, err = convertSchema(entry.Provider); err != nil {
		return nil, fmt.Errorf("provider: %w", err)
	}
	for name, s := range entry.ResourceSchemas {
		if out.Resources[name], err = convertSchema(s); err != nil {
			return nil, fmt.Errorf("resource %s: %w", name, err)
		}
	}
	for name, s := range entry.DataSourceSchemas {
		if out.DataSources[name], err = convertSchema(s); err != nil {
			return nil, fmt.Errorf("data source %s: %w", name, err)
		}
	}
	return out, nil
}

func convertSchema(entry *schemaEntry) (*tfprotov6.Schema, error) {
	if entry == nil {
		return &tfprotov6.Schema{Block: &tfprotov6.SchemaBlock{}}, nil
	}
	block, err := convertBlock(entry.Block)
	if err != nil {
		return nil, err
	}
	return &tfprotov6.Schema{Version: entry.Version, Block: block}, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func stringKind(kind string) tfprotov6.StringKind {
	if kind == "markdown" {
		return tfprotov6.StringKindMarkdown
	}
	return tfprotov6.StringKindPlain
}

var nestingModes = map[string]tfprotov6.SchemaNestedBlockNestingMode{
	"single": tfprotov6.SchemaNestedBlockNestingModeSingle,
	"list":   tfprotov6.SchemaNestedBlockNestingModeList,
	"set":    tfprotov6.SchemaNestedBlockNestingModeSet,
	"map":    tfprotov6.SchemaNestedBlockNestingModeMap,
	"group":  tfprotov6.SchemaNestedBlockNestingModeGroup,
}

func convertBlock(b *blockSchema) (*tfprotov6.SchemaBlock, error) {
	out := &tfprotov6.SchemaBlock{}
	if b == nil {
		return out, nil
	}
	out.Description = b.Description
	out.DescriptionKind = stringKind(b.DescriptionKind)
	out.Deprecated = b.Deprecated
	for _, name := range sortedKeys(b.Attributes) {
		a := b.Attributes[name]
		typ, err := tftypes.ParseJSONType(a.Type)
		if err != nil {
			return nil, fmt.Errorf("attribute %s: type %s: %w", name, string(a.Type), err)
		}
		out.Attributes = append(out.Attributes, &tfprotov6.SchemaAttribute{
			Name:            name,
			Type:            typ,
			Description:     a.Description,
			DescriptionKind: stringKind(a.DescriptionKind),
			Deprecated:      a.Deprecated,
			Required:        a.Required,
			Optional:        a.Optional,
			Computed:        a.Computed,
			Sensitive:       a.Sensitive,
			WriteOnly:       a.WriteOnly,
		})
	}
	for _, name := range sortedKeys(b.BlockTypes) {
		bt := b.BlockTypes[name]
		mode, ok := nestingModes[bt.NestingMode]
		if !ok {
			return nil, fmt.Errorf("block %s: unknown nesting mode %q", name, bt.NestingMode)
		}
		nested, err := convertBlock(bt.Block)
		if err != nil {
			return nil, fmt.Errorf("block %s: %w", name, err)
		}
		out.BlockTypes = append(out.BlockTypes, &tfprotov6.SchemaNestedBlock{
			TypeName: name,
			Block:    nested,
			Nesting:  mode,
			MinItems: bt.MinItems,
			MaxItems: bt.MaxItems,
		})
	}
	return out, nil
}
