package main

import (
	"bytes"
	"encoding/binary"
	"hash/fnv"
	"math/rand/v2"
	"strconv"
	"strings"
)

// Random streams: every file and every log gets its own stream derived
// from the seed and a name, so the bytes do not depend on which worker
// writes them or in what order.
func stream(seed int64, name string, i int) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(name))
	return rand.New(rand.NewPCG(uint64(seed), h.Sum64()^uint64(i)*0x9e3779b97f4a7c15))
}

func chacha(seed int64, name string, i int) *rand.ChaCha8 {
	var k [32]byte
	h := fnv.New64a()
	h.Write([]byte(name))
	binary.LittleEndian.PutUint64(k[0:], uint64(seed))
	binary.LittleEndian.PutUint64(k[8:], h.Sum64())
	binary.LittleEndian.PutUint64(k[16:], uint64(i))
	binary.LittleEndian.PutUint64(k[24:], 0x65787363616e) // "exscan"
	return rand.NewChaCha8(k)
}

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

// Word pools for identifiers, class names and file names.
var (
	words = strings.Fields(`mail calendar people boot worker common compose reading pane search options nav strings
		resources ux fabric core sprite theme flags plugins analytics attachments inbox folder message conversation
		rules groups tasks notes reminder meeting schedule contact card list view item header footer toolbar ribbon
		dialog callout panel command action service session context settings account profile mailbox delegate
		permission signature junk archive offline sync notification popout flex grid layout render template bundle
		locale format date time zone picker editor viewer preview download upload image icon avatar presence chat
		feedback diagnostics telemetry performance loader module registry store reducer selector state event
		handler listener observer dispatcher queue cache request response proxy router`)
	types = strings.Fields(`MailListView ReadingPaneController ComposeViewModel CalendarSurface PeopleHub
		FolderTreeControl ConversationItem AttachmentWell NotificationBar SearchBox OptionsPage ThemeManager
		SessionDataProvider ActionQueue OwaApplication DelegateManager SignatureEditor JunkMailSettings
		RemindersPane MeetingRequestForm SchedulingAssistant ContactCard GroupsHub TasksModule NotesModule
		PresenceService ChatSurface FeedbackDialog TelemetryClient PerfMarker ModuleLoader RegistryService`)
	namespaces = strings.Fields(`_a _b _c _g _j _m _n _s _u _ae _fce _y _ho _cal _peo _mail`)
	cssProps   = []string{"display:block", "display:inline-block", "display:flex", "display:none", "position:relative",
		"position:absolute", "overflow:hidden", "white-space:nowrap", "text-overflow:ellipsis", "cursor:pointer",
		"box-sizing:border-box", "font-weight:600", "font-weight:400", "line-height:20px", "line-height:16px",
		"text-align:left", "vertical-align:middle", "outline:0", "border:0", "flex:1 1 auto", "-ms-flex:1 1 auto",
		"user-select:none", "-webkit-user-select:none", "transition:background-color .367s cubic-bezier(.1,.9,.2,1)"}
	fontStack = `"Segoe UI","Segoe UI Web (West European)",-apple-system,BlinkMacSystemFont,Roboto,"Helvetica Neue",sans-serif`
	locales   = strings.Fields(`en-us de-de fr-fr es-es it-it ja-jp zh-cn zh-tw ko-kr pt-br ru-ru nl-nl sv-se pl-pl tr-tr ar-sa he-il`)
)

func ident(r *rand.Rand) string {
	w := pick(r, words)
	if r.IntN(3) == 0 {
		return w + strings.ToUpper(pick(r, words)[:1]) + pick(r, words)[1:]
	}
	if r.IntN(4) == 0 {
		// Minified name.
		return string(rune('a'+r.IntN(26))) + strconv.Itoa(r.IntN(99))
	}
	return w
}

func hex6(r *rand.Rand) string {
	const h = "0123456789abcdef"
	b := make([]byte, 6)
	for i := range b {
		b[i] = h[r.IntN(16)]
	}
	return string(b)
}

// corpus builds about size bytes of text by calling chunk until full.
func corpus(r *rand.Rand, size int, chunk func(r *rand.Rand, b *bytes.Buffer)) []byte {
	var b bytes.Buffer
	b.Grow(size + 4096)
	for b.Len() < size {
		chunk(r, &b)
	}
	return b.Bytes()
}

// jsChunk writes one piece of OWA/ECP-like script: namespaces, classes,
// prototype methods, AMD modules and string tables, mostly minified.
func jsChunk(r *rand.Rand, b *bytes.Buffer) {
	ns := pick(r, namespaces)
	id, a, c := ident(r), ident(r), ident(r)
	t := pick(r, types)
	switch r.IntN(9) {
	case 0:
		b.WriteString("Type.registerNamespace(\"" + ns + "." + pick(r, words) + "\");\n")
	case 1:
		b.WriteString(ns + "." + t + "=function(" + a + "," + c + "){" + ns + "." + t + ".initializeBase(this);this." + id + "=" + a + "||null;this.$" + strconv.Itoa(r.IntN(40)) + "_" + strconv.Itoa(r.IntN(9)) + "=" + c + ";this." + ident(r) + "=[];};\n")
	case 2:
		b.WriteString(ns + "." + t + ".prototype={get_" + id + ":function(){return this.$" + strconv.Itoa(r.IntN(40)) + "_" + strconv.Itoa(r.IntN(9)) + "},set_" + id + ":function(" + a + "){this.$" + strconv.Itoa(r.IntN(40)) + "_0=" + a + ";this.raisePropertyChanged(\"" + id + "\");return " + a + "},dispose:function(){if(this." + c + "){this." + c + ".dispose();this." + c + "=null}" + ns + "." + t + ".callBaseMethod(this,\"dispose\")}};\n")
	case 3:
		b.WriteString("function " + id + "(" + a + "," + c + "){var n=this,t;if(!" + a + ")return null;for(t=0;t<" + a + ".length;t++)if(" + a + "[t]." + ident(r) + "===" + c + ")return n." + ident(r) + "(" + a + "[t]," + strconv.Itoa(r.IntN(500)) + ");return void 0}\n")
	case 4:
		b.WriteString("define(\"owa/" + pick(r, words) + "/" + id + "\",[\"require\",\"exports\",\"owa/" + pick(r, words) + "/" + ident(r) + "\",\"tslib\"],function(e,t,n,i){\"use strict\";Object.defineProperty(t,\"__esModule\",{value:!0});var o=function(e){function t(t){var n=e.call(this,t)||this;return n." + a + "=null,n." + c + "=" + strconv.Itoa(r.IntN(1000)) + ",n}return i.__extends(t,e),t.prototype.render=function(){return n.createElement(\"div\",{className:\"" + pick(r, words) + "_" + hex6(r) + "\"},this.props.children)},t}(n.Component);t." + t + "=o});\n")
	case 5:
		b.WriteString("var " + id + "Strings={")
		for i, n := 0, 3+r.IntN(8); i < n; i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString("\"" + pick(r, words) + strconv.Itoa(r.IntN(9999)) + "\":\"" + strings.ToUpper(pick(r, words)[:1]) + pick(r, words)[1:] + " " + pick(r, words) + " " + pick(r, words) + "\"")
		}
		b.WriteString("};\n")
	case 6:
		b.WriteString(ns + "." + t + ".registerClass(\"" + ns + "." + t + "\"," + pick(r, namespaces) + "." + pick(r, types) + ",Sys.IDisposable);\n")
	case 7:
		b.WriteString("/* " + strings.ToUpper(pick(r, words)[:1]) + pick(r, words)[1:] + " " + pick(r, words) + ": keeps the " + pick(r, words) + " in step with the " + pick(r, words) + " " + pick(r, words) + " */\n")
	default:
		b.WriteString("window." + id + "=window." + id + "||{};(function(e){e." + a + "=function(t,n){return t&&t.length>" + strconv.Itoa(r.IntN(64)) + "?t.substr(0," + strconv.Itoa(r.IntN(64)) + ")+\"\u2026\":t||n||\"\"};e." + c + "=function(t){return JSON.parse(t||\"{}\")}})(window." + id + ");\n")
	}
}

func cssChunk(r *rand.Rand, b *bytes.Buffer) {
	cls := "." + pick(r, words) + "-" + pick(r, words)
	if r.IntN(3) == 0 {
		cls = "._" + hex6(r)[:2] + "_" + strconv.Itoa(r.IntN(99))
	}
	switch r.IntN(6) {
	case 0:
		b.WriteString("@media screen and (max-width:" + strconv.Itoa(320+r.IntN(1200)) + "px){" + cls + " ." + pick(r, words) + "{width:" + strconv.Itoa(r.IntN(100)) + "%;padding:0 " + strconv.Itoa(r.IntN(24)) + "px}}\n")
	case 1:
		b.WriteString(cls + "{font-family:" + fontStack + ";font-size:" + strconv.Itoa(10+r.IntN(20)) + "px;color:#" + hex6(r) + "}\n")
	case 2:
		b.WriteString(cls + ":hover," + cls + ":focus{background-color:#" + hex6(r) + ";border-color:#" + hex6(r) + "}\n")
	case 3:
		b.WriteString(cls + "{background:url(" + pick(r, words) + "_sprite" + strconv.Itoa(r.IntN(9)) + ".png) no-repeat -" + strconv.Itoa(r.IntN(400)) + "px -" + strconv.Itoa(r.IntN(400)) + "px;width:" + strconv.Itoa(8+r.IntN(24)) + "px;height:" + strconv.Itoa(8+r.IntN(24)) + "px}\n")
	default:
		b.WriteString(cls + "{")
		for i, n := 0, 2+r.IntN(6); i < n; i++ {
			b.WriteString(pick(r, cssProps) + ";")
		}
		b.WriteString("margin:" + strconv.Itoa(r.IntN(16)) + "px " + strconv.Itoa(r.IntN(16)) + "px}\n")
	}
}

// aspxChunk is page body markup: server controls, localized strings and
// inline script, as in OWA/ECP pages.
func aspxChunk(r *rand.Rand, b *bytes.Buffer) {
	id := ident(r)
	switch r.IntN(6) {
	case 0:
		b.WriteString("    <div class=\"" + pick(r, words) + "Row\"><asp:Label runat=\"server\" ID=\"lbl" + pick(r, types) + "\" Text=\"<%$ Strings:" + pick(r, types) + "Label %>\" /></div>\r\n")
	case 1:
		b.WriteString("    <ecp:PropertyPageSheet runat=\"server\" ID=\"" + id + "\" SchemaName=\"" + pick(r, types) + "\" HelpId=\"" + pick(r, types) + "\" />\r\n")
	case 2:
		b.WriteString("    <span id=\"" + id + "\" class=\"signInText\"><%= Strings.GetLocalizedString(Strings.IDs." + pick(r, types) + ") %></span>\r\n")
	case 3:
		b.WriteString("    <script type=\"text/javascript\">var " + id + " = \"<%= " + pick(r, types) + ".GetEncodedValue(\"" + pick(r, words) + "\") %>\"; function " + ident(r) + "() { return document.getElementById(\"" + id + "\"); }</script>\r\n")
	case 4:
		b.WriteString("    <link rel=\"stylesheet\" type=\"text/css\" href=\"<%=InlineCss(ThemeFileId." + pick(r, types) + ")%>\" />\r\n")
	default:
		b.WriteString("    <table class=\"" + pick(r, words) + "\"><tr><td><input id=\"" + id + "\" type=\"checkbox\" class=\"chk\" /></td><td><label for=\"" + id + "\"><%= Strings.GetLocalizedString(Strings.IDs." + pick(r, types) + ") %></label></td></tr></table>\r\n")
	}
}

func xmlChunk(r *rand.Rand, b *bytes.Buffer) {
	switch r.IntN(4) {
	case 0:
		b.WriteString("    <add key=\"" + pick(r, types) + pick(r, words) + "\" value=\"" + strconv.Itoa(r.IntN(100000)) + "\" />\r\n")
	case 1:
		b.WriteString("    <add name=\"" + pick(r, types) + "\" path=\"*." + pick(r, words) + "\" verb=\"GET,POST\" type=\"Microsoft.Exchange." + pick(r, types) + ", Microsoft.Exchange." + pick(r, types) + ", Version=15.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35\" preCondition=\"integratedMode\" />\r\n")
	case 2:
		b.WriteString("    <dependentAssembly><assemblyIdentity name=\"Microsoft.Exchange." + pick(r, types) + "\" publicKeyToken=\"31bf3856ad364e35\" culture=\"neutral\" /><bindingRedirect oldVersion=\"0.0.0.0-15.0.0.0\" newVersion=\"15.0.0.0\" /></dependentAssembly>\r\n")
	default:
		b.WriteString("    <Component Name=\"" + pick(r, types) + "\" Enabled=\"true\" Interval=\"" + strconv.Itoa(r.IntN(3600)) + "\"><Parameter Name=\"" + pick(r, words) + "\" Value=\"" + pick(r, words) + "\" /></Component>\r\n")
	}
}

func htmChunk(r *rand.Rand, b *bytes.Buffer) {
	b.WriteString("<p class=\"" + pick(r, words) + "\">" + strings.ToUpper(pick(r, words)[:1]) + pick(r, words)[1:] + " " + pick(r, words) + " " + pick(r, words) + " " + pick(r, words) + ".</p>\r\n")
}

const jsHeader = "/*! Copyright (c) Microsoft Corporation. All rights reserved. */\n"

func aspxHeader(r *rand.Rand, name string) string {
	t := pick(r, types)
	return "<%@ Page Language=\"C#\" AutoEventWireup=\"true\" CodeBehind=\"" + name + ".cs\" Inherits=\"Microsoft.Exchange.Management.ControlPanel." + t + "\" MasterPageFile=\"~/Default.Master\" %>\r\n" +
		"<%@ Register TagPrefix=\"ecp\" Namespace=\"Microsoft.Exchange.Management.ControlPanel.WebControls\" Assembly=\"Microsoft.Exchange.Management.ControlPanel\" %>\r\n" +
		"<%@ Import Namespace=\"Microsoft.Exchange.Management.ControlPanel\" %>\r\n<asp:Content ID=\"contentMain\" ContentPlaceHolderID=\"ContentPlaceHolder\" runat=\"server\">\r\n"
}

const xmlHeader = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<configuration>\r\n  <appSettings>\r\n"

const htmHeader = "<!DOCTYPE html>\r\n<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\" /><title>Outlook</title></head><body>\r\n"
