module exscan

go 1.26.8

require (
	github.com/Velocidex/ordereddict v0.0.0-20210502082334-cf5d9045c0d1
	github.com/bradleyjkemp/sigma-go v0.6.6
	github.com/fsnotify/fsnotify v1.10.1
	github.com/hillu/go-yara/v4 v4.2.4
	github.com/owenrumney/go-sarif/v3 v3.3.1
	github.com/rs/zerolog v1.35.1
	github.com/schollz/progressbar/v3 v3.19.1
	github.com/spf13/pflag v1.1.0
	github.com/xeipuuv/gojsonschema v1.2.0
	github.com/yeka/zip v0.0.0-20231116150916-03d6312748a9
	golang.org/x/net v0.47.0
	golang.org/x/sys v0.50.0
	golang.org/x/term v0.48.0
	golang.org/x/text v0.31.0
	gopkg.in/yaml.v3 v3.0.1
	www.velocidex.com/golang/evtx v0.2.0
)

require (
	github.com/alecthomas/participle v0.7.1 // indirect
	github.com/alecthomas/repr v0.0.0-20201120212035-bb82daffcca2 // indirect
	github.com/kr/pretty v0.1.0 // indirect
	github.com/mattn/go-colorable v0.1.14 // indirect
	github.com/mattn/go-isatty v0.0.22 // indirect
	github.com/mitchellh/colorstring v0.0.0-20190213212951-d06e56a500db // indirect
	github.com/pkg/errors v0.9.1 // indirect
	github.com/rivo/uniseg v0.4.7 // indirect
	github.com/xeipuuv/gojsonpointer v0.0.0-20180127040702-4e3ac2762d5f // indirect
	github.com/xeipuuv/gojsonreference v0.0.0-20180127040603-bd5ef7bd5415 // indirect
	golang.org/x/crypto v0.44.0 // indirect
	gopkg.in/check.v1 v1.0.0-20190902080502-41f04d3bba15 // indirect
)

// The Velocidex EVTX parser with one bound added (third_party/velocidex-evtx/README.md).
replace www.velocidex.com/golang/evtx => ./third_party/velocidex-evtx
