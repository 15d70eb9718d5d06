package main

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

const (
	iisDir   = "inetpub/logs/LogFiles/W3SVC1"
	proxyDir = v15 + "/Logging/HttpProxy"
	domain   = "contoso.com"
	mailHost = "mail.contoso.com"
	serverIP = "10.0.0.5"
	proxyDay = 14 // days of HttpProxy logs (Exchange keeps up to 30)
)

// The data end on 2021-03-16: the weeks around the ProxyLogon disclosure.
var logEnd = time.Date(2021, 3, 16, 0, 0, 0, 0, time.UTC)

const proxyFields = "DateTime,RequestId,MajorVersion,MinorVersion,BuildVersion,RevisionVersion,ClientRequestId,Protocol,UrlHost,UrlStem,ProtocolAction,AuthenticationType,IsAuthenticated,AuthenticatedUser,Organization,AnchorMailbox,UserAgent,ClientIpAddress,ServerHostName,HttpStatus,BackEndStatus,ErrorCode,Method,ProxyAction,TargetServer,TargetServerVersion,RoutingType,RoutingHint,BackEndCookie,ServerLocatorHost,ServerLocatorLatency,RequestBytes,ResponseBytes,TargetOutstandingRequests,AuthModulePerfContext,HttpPipelineLatency,CalculateTargetBackEndLatency,GlsLatencyBreakup,TotalGlsLatency,AccountForestLatencyBreakup,TotalAccountForestLatency,ResourceForestLatencyBreakup,TotalResourceForestLatency,ADLatency,SharedCacheLatencyBreakup,TotalSharedCacheLatency,ActivityContextLifeTime,ModuleToHandlerSwitchingLatency,ClientReqStreamLatency,BackendReqInitLatency,BackendReqStreamLatency,BackendProcessingLatency,BackendRespInitLatency,BackendRespStreamLatency,ClientRespStreamLatency,KerberosAuthHeaderLatency,HandlerCompletionLatency,RequestHandlerLatency,HandlerToModuleSwitchingLatency,ProxyTime,CoreLatency,RoutingLatency,HttpProxyOverhead,TotalRequestTime,RouteRefresherLatency,UrlQuery,BackEndGenericInfo,GenericInfo,GenericErrors,EdgeTraceId,DatabaseGuid,UserADObjectGuid,PartitionEndpointLookupLatency,RoutingStatus"

const iisFields = "date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken"

// HttpProxy protocol folders and their share of the HttpProxy bytes.
var protocols = []struct {
	name  string
	share float64
}{{"Owa", 0.25}, {"Ecp", 0.05}, {"Ews", 0.15}, {"Eas", 0.20}, {"Mapi", 0.25}, {"Autodiscover", 0.10}}

// Attack lines, by where they go and how often.
var iisAttacks = []struct {
	kind  string
	share float64
}{
	{"proxylogon-ssrf-static-post", 0.25}, {"proxylogon-ddi-reset-vdir", 0.05}, {"webshell-post", 0.35},
	{"proxyshell-autodiscover", 0.15}, {"proxynotshell-autodiscover", 0.10}, {"owassrf-powershell", 0.10},
}

var proxyAttacks = []struct {
	kind, proto string
	share       float64
}{
	{"proxylogon-serverinfo-autodiscover", "Ecp", 0.4}, {"proxylogon-serverinfo-proxylogon-ecp", "Ecp", 0.3},
	{"proxylogon-serverinfo-reset-vdir", "Ecp", 0.1}, {"proxylogon-localhost-probe", "Owa", 0.2},
}

// Published attacker addresses (in exscan's built-in indicator lists) and
// documentation addresses that only the Sigma rules can catch.
var attackerIPs = []string{"103.77.192.219", "104.140.114.110", "104.250.191.110", "108.61.246.56", "149.28.14.163",
	"157.230.221.198", "167.99.168.251", "185.250.151.72", "192.81.208.169", "203.160.69.66",
	"203.0.113.7", "203.0.113.9", "203.0.113.10", "198.51.100.23"}

type attackAt struct {
	at   time.Duration // offset into the file's span
	kind string
}

type logFile struct {
	rel     string
	iis     bool
	proto   string
	start   time.Time
	span    time.Duration
	budget  int64
	restart float64 // IIS: progress at which the header repeats (0: never)
	attacks []attackAt
	// results
	bytes, lines int64
	planted      []planted
}

type user struct {
	sam, upn, ip, mobileIP, device, devType, desktopUA, browserUA, mobileUA string
	mbx                                                                     string // mailbox GUID
}

var (
	browserUAs = []string{
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/89.0.4389.82 Safari/537.36",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/89.0.4389.82 Safari/537.36 Edg/89.0.774.50",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:86.0) Gecko/20100101 Firefox/86.0",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/14.0.3 Safari/605.1.15",
		"Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko",
	}
	desktopUAs = []string{
		"Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.13801; Pro)",
		"Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.13127; Pro)",
		"Microsoft Office/15.0 (Windows NT 6.1; Microsoft Outlook 15.0.5319; Pro)",
		"MacOutlook/16.46.21021202 (Intelx64 Mac OS X 11.2.1 (Build 20D74))",
	}
	mobile = []struct{ ua, devType, prefix string }{
		{"Apple-iPhone12C1/1804.203", "iPhone", "Appl"},
		{"Apple-iPhone13C2/1805.114", "iPhone", "Appl"},
		{"Outlook-iOS-Android/1.0", "Outlook", "REST"},
		{"Android-Mail/2021.02.14.357498929.Release", "Android", "android"},
	}
	firstNames = strings.Fields(`anna ben carla david eva frank grace henry iris jack karen liam maria noah olivia paul
		quinn rosa sam tina uma victor wendy xavier yara zoe adam bella chris diana emil fiona george hanna ivan julia`)
	lastNames = strings.Fields(`smith jones miller davis garcia wilson moore taylor thomas white harris martin clark lewis
		walker young allen king wright scott green baker adams nelson hill campbell mitchell roberts carter phillips evans
		turner torres parker collins edwards stewart morris murphy cook rogers morgan peterson cooper reed bailey bell`)
	owaActions = strings.Fields(`GetItem FindItem FindConversation GetConversationItems GetAttachment UpdateItem CreateItem
		GetFolderMruConfiguration GetOwaUserConfiguration SubscribeToNotification GetCalendarView FindPeople GetPersona
		GetUserAvailability MarkAsJunk SyncCalendar GetAccessTokenforResource`)
	easCmds  = strings.Fields(`Sync Sync Sync Ping Ping Ping FolderSync ItemOperations SendMail MoveItems GetItemEstimate Settings`)
	vdirs    = strings.Fields(`owa ecp EWS Microsoft-Server-ActiveSync mapi Autodiscover OAB rpc PowerShell`)
	scanURIs = strings.Fields(`/ /robots.txt /remote/login /owa/auth/logon.aspx /ecp/Current/exporttool/microsoft.exchange.ediscovery.exporttool.application /favicon.ico /.env /wp-login.php /autodiscover/autodiscover.xml`)
	scanUAs  = []string{"Mozilla/5.0 zgrab/0.x", "Mozilla/5.0 (compatible; CensysInspect/1.1; +https://about.censys.io/)", "curl/7.68.0", "Go-http-client/1.1"}
)

func makeUsers(seed int64) []user {
	r := stream(seed, "users", 0)
	us := make([]user, 1500)
	seen := map[string]int{}
	for i := range us {
		sam := firstNames[r.IntN(len(firstNames))][:1] + lastNames[r.IntN(len(lastNames))]
		if seen[sam]++; seen[sam] > 1 {
			sam += strconv.Itoa(seen[sam])
		}
		m := pick(r, mobile)
		dev := m.prefix + strings.ToUpper(hex6(r)+hex6(r))
		us[i] = user{
			sam: sam, upn: sam + "@" + domain,
			ip:       "10." + strconv.Itoa(1+i%20) + "." + strconv.Itoa(r.IntN(256)) + "." + strconv.Itoa(1+r.IntN(254)),
			mobileIP: "100." + strconv.Itoa(64+r.IntN(64)) + "." + strconv.Itoa(r.IntN(256)) + "." + strconv.Itoa(1+r.IntN(254)),
			device:   dev, devType: m.devType, mobileUA: m.ua,
			desktopUA: pick(r, desktopUAs), browserUA: pick(r, browserUAs),
			mbx: guidString(r),
		}
	}
	return us
}

// planLogs lays out the files, their byte budgets and the attack lines.
func planLogs(p params) []*logFile {
	r := stream(p.Seed, "log-plan", 0)
	var files []*logFile
	iisBytes := p.LogBytes / 2
	proxyBytes := p.LogBytes - iisBytes

	// IIS: one file per day, quieter at weekends.
	first := logEnd.AddDate(0, 0, -p.Days)
	var w []float64
	var sum float64
	for d := 0; d < p.Days; d++ {
		day := first.AddDate(0, 0, d)
		x := 1.0
		if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
			x = 0.35
		}
		x *= 0.9 + 0.2*r.Float64()
		w = append(w, x)
		sum += x
	}
	for d := 0; d < p.Days; d++ {
		day := first.AddDate(0, 0, d)
		f := &logFile{rel: iisDir + "/u_ex" + day.Format("060102") + ".log", iis: true, start: day, span: 24 * time.Hour,
			budget: int64(float64(iisBytes) * w[d] / sum)}
		if r.IntN(3) == 0 {
			f.restart = 0.2 + 0.6*r.Float64()
		}
		files = append(files, f)
	}

	// HttpProxy: one file per protocol and hour, busy in office hours.
	pfirst := logEnd.AddDate(0, 0, -proxyDay)
	hw := make([]float64, proxyDay*24)
	sum = 0
	for h := range hw {
		t := pfirst.Add(time.Duration(h) * time.Hour)
		x := 0.12
		if hr := t.Hour(); hr >= 7 && hr < 19 {
			x = 1.0
		} else if hr >= 6 && hr < 22 {
			x = 0.4
		}
		if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
			x *= 0.3
		}
		x *= 0.85 + 0.3*r.Float64()
		hw[h] = x
		sum += x
	}
	for _, pr := range protocols {
		for h := range hw {
			t := pfirst.Add(time.Duration(h) * time.Hour)
			files = append(files, &logFile{
				rel: proxyDir + "/" + pr.name + "/HttpProxy_" + t.Format("2006010215") + "-1.LOG", proto: pr.name,
				start: t, span: time.Hour, budget: int64(float64(proxyBytes) * pr.share * hw[h] / sum),
			})
		}
	}

	// Attacks: in the last 14 days (from 2021-03-02), two thirds in IIS.
	window := logEnd.AddDate(0, 0, -14)
	var iisIn []*logFile
	proxyIn := map[string][]*logFile{}
	for _, f := range files {
		if f.start.Before(window) {
			continue
		}
		if f.iis {
			iisIn = append(iisIn, f)
		} else {
			proxyIn[f.proto] = append(proxyIn[f.proto], f)
		}
	}
	nIIS := p.Attacks * 2 / 3
	for i := 0; i < p.Attacks; i++ {
		if i < nIIS {
			x := r.Float64()
			kind := iisAttacks[len(iisAttacks)-1].kind
			for _, a := range iisAttacks {
				if x < a.share {
					kind = a.kind
					break
				}
				x -= a.share
			}
			f := pick(r, iisIn)
			f.attacks = append(f.attacks, attackAt{at: time.Duration(r.Int64N(int64(f.span))), kind: kind})
			continue
		}
		x := r.Float64()
		a := proxyAttacks[len(proxyAttacks)-1]
		for _, c := range proxyAttacks {
			if x < c.share {
				a = c
				break
			}
			x -= c.share
		}
		f := pick(r, proxyIn[a.proto])
		f.attacks = append(f.attacks, attackAt{at: time.Duration(r.Int64N(int64(f.span))), kind: a.kind})
	}
	for _, f := range files {
		sort.Slice(f.attacks, func(i, j int) bool { return f.attacks[i].at < f.attacks[j].at })
	}
	return files
}

func genLogs(m *manifest, p params, workers int) error {
	files := planLogs(p)
	users := makeUsers(p.Seed)
	dirs := map[string]bool{}
	for _, f := range files {
		dirs[path.Dir(f.rel)] = true
	}
	for d := range dirs {
		if err := os.MkdirAll(filepath.Join(m.Logs, filepath.FromSlash(d)), 0o755); err != nil {
			return err
		}
	}
	// Biggest first, so the workers finish together.
	order := make([]int, len(files))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return files[order[a]].budget > files[order[b]].budget })
	jobs := make(chan int, len(files))
	for _, i := range order {
		jobs <- i
	}
	close(jobs)
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			bw := bufio.NewWriterSize(nil, 1<<20)
			g := &lineGen{users: users, buf: make([]byte, 0, 8<<10)}
			var failed error
			for i := range jobs {
				if failed == nil {
					g.r = stream(p.Seed, "log-file", i)
					failed = g.writeFile(m.Logs, files[i], bw)
				}
			}
			errs <- failed
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return err
		}
	}
	m.LogByKind = map[string]int{}
	for _, f := range files {
		m.LogFiles++
		m.LogBytes += f.bytes
		m.LogLines += f.lines
		if f.iis {
			m.LogByKind["iis-w3c"]++
		} else {
			m.LogByKind["httpproxy-"+strings.ToLower(f.proto)]++
		}
		m.Attacks = append(m.Attacks, f.planted...)
	}
	sort.Slice(m.Attacks, func(i, j int) bool {
		if m.Attacks[i].Path != m.Attacks[j].Path {
			return m.Attacks[i].Path < m.Attacks[j].Path
		}
		return m.Attacks[i].Line < m.Attacks[j].Line
	})
	return nil
}

// lineGen builds log lines into buf; one per worker.
type lineGen struct {
	r     *rand.Rand
	users []user
	buf   []byte
}

func (g *lineGen) writeFile(root string, f *logFile, bw *bufio.Writer) error {
	fh, err := os.Create(filepath.Join(root, filepath.FromSlash(f.rel)))
	if err != nil {
		return err
	}
	bw.Reset(fh)
	var written, line int64
	emit := func(b []byte) {
		bw.Write(b)
		written += int64(len(b))
		line++
	}
	header := func(at time.Time) {
		if f.iis {
			emit([]byte("#Software: Microsoft Internet Information Services 10.0\r\n"))
			emit([]byte("#Version: 1.0\r\n"))
			emit([]byte("#Date: " + at.Format("2006-01-02 15:04:05") + "\r\n"))
			emit([]byte("#Fields: " + iisFields + "\r\n"))
			return
		}
		emit([]byte(proxyFields + "\r\n"))
		emit([]byte("#Software: Microsoft Exchange Server\r\n"))
		emit([]byte("#Version: 15.02.0858.005\r\n"))
		emit([]byte("#Log-type: HttpProxy Logs\r\n"))
		emit([]byte("#Date: " + at.Format("2006-01-02T15:04:05.000Z") + "\r\n"))
		emit([]byte("#Fields: " + proxyFields + "\r\n"))
	}
	header(f.start.Add(time.Duration(g.r.IntN(900)) * time.Millisecond))
	restarted := f.restart == 0
	next := 0
	for written < f.budget {
		at := time.Duration(float64(f.span) * float64(written) / float64(f.budget))
		for next < len(f.attacks) && f.attacks[next].at <= at {
			a := f.attacks[next]
			emit(g.attack(f, f.start.Add(a.at), a.kind))
			f.planted = append(f.planted, planted{Path: f.rel, Line: int(line), Kind: a.kind})
			next++
		}
		if !restarted && float64(written) >= f.restart*float64(f.budget) {
			header(f.start.Add(at))
			restarted = true
		}
		t := f.start.Add(at)
		if f.iis {
			emit(g.iisLine(t))
		} else {
			emit(g.proxyLine(f.proto, t))
		}
	}
	for ; next < len(f.attacks); next++ {
		a := f.attacks[next]
		emit(g.attack(f, f.start.Add(a.at), a.kind))
		f.planted = append(f.planted, planted{Path: f.rel, Line: int(line), Kind: a.kind})
	}
	f.bytes, f.lines = written, line
	if err := bw.Flush(); err != nil {
		fh.Close()
		return fmt.Errorf("writing %s: %w", f.rel, err)
	}
	return fh.Close()
}

// ---- shared helpers ----

const hexdigits = "0123456789abcdef"

func appendGUID(b []byte, r *rand.Rand) []byte {
	x, y := r.Uint64(), r.Uint64()
	for i := 0; i < 16; i++ {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			b = append(b, '-')
		}
		v := x
		if i >= 8 {
			v = y
		}
		c := byte(v >> (uint(i%8) * 8))
		b = append(b, hexdigits[c>>4], hexdigits[c&15])
	}
	return b
}

func guidString(r *rand.Rand) string { return string(appendGUID(nil, r)) }

func appendHex(b []byte, r *rand.Rand, n int) []byte {
	for i := 0; i < n; i++ {
		b = append(b, hexdigits[r.IntN(16)])
	}
	return b
}

func append2(b []byte, v int) []byte { return append(b, byte('0'+v/10), byte('0'+v%10)) }

func appendDate(b []byte, t time.Time, sep byte) []byte {
	y, mo, d := t.Date()
	b = strconv.AppendInt(b, int64(y), 10)
	b = append(b, '-')
	b = append2(b, int(mo))
	b = append(b, '-')
	b = append2(b, d)
	b = append(b, sep)
	h, mi, s := t.Clock()
	b = append2(b, h)
	b = append(b, ':')
	b = append2(b, mi)
	b = append(b, ':')
	return append2(b, s)
}

// iisUA writes a user agent the way IIS logs it: spaces as '+'.
func iisUA(b []byte, ua string) []byte {
	for i := 0; i < len(ua); i++ {
		if ua[i] == ' ' {
			b = append(b, '+')
		} else {
			b = append(b, ua[i])
		}
	}
	return b
}

// proxyUA writes a user agent the way Exchange's CSV logs do: a comma
// becomes a space ("(KHTML, like Gecko)" is logged as "(KHTML  like Gecko)").
func proxyUA(b []byte, ua string) []byte {
	for i := 0; i < len(ua); i++ {
		if ua[i] == ',' {
			b = append(b, ' ')
		} else {
			b = append(b, ua[i])
		}
	}
	return b
}

func (g *lineGen) cafe(b []byte) []byte {
	b = append(b, "&CorrelationID=<empty>;&cafeReqId="...)
	b = appendGUID(b, g.r)
	return append(b, ';')
}

// ---- IIS W3C ----

// iisReq is the part of an IIS line after the URL: who asked, from where,
// with what, and how it ended.
type iisReq struct {
	user, ip, ua, ref  string
	status, sub, win32 string
	taken              int
	challenge          bool // answered 401 first (NTLM/Negotiate)
}

// iisLine is one benign request on a front-end Exchange server.
func (g *lineGen) iisLine(t time.Time) []byte {
	r := g.r
	u := &g.users[r.IntN(len(g.users))]
	b := appendDate(g.buf[:0], t, ' ')
	b = append(b, ' ')
	b = append(b, serverIP...)
	b = append(b, ' ')
	q := iisReq{status: "200", sub: "0", win32: "0"}
	q.taken = 5 + r.IntN(120)
	q.challenge = r.IntN(10) == 0
	switch x := r.IntN(100); {
	case x < 48:
		b = g.iisClient(b, u, x, &q)
	case x < 78:
		b = g.iisBrowser(b, u, x, &q)
	default:
		b = g.iisOther(b, u, x, &q)
	}
	if q.challenge {
		q.user, q.status, q.sub, q.win32 = "-", "401", "1", "2148074254"
		q.taken = r.IntN(10)
	}
	b = append(b, " 443 "...)
	b = append(b, q.user...)
	b = append(b, ' ')
	b = append(b, q.ip...)
	b = append(b, ' ')
	b = iisUA(b, q.ua)
	b = append(b, ' ')
	if q.ref == "" {
		b = append(b, '-')
	} else {
		b = append(b, q.ref...)
	}
	b = append(b, ' ')
	b = append(b, q.status...)
	b = append(b, ' ')
	b = append(b, q.sub...)
	b = append(b, ' ')
	b = append(b, q.win32...)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(q.taken), 10)
	b = append(b, '\r', '\n')
	g.buf = b
	return b
}

// iisClient writes the URL of a mail client request (x < 48): MAPI, EWS, ActiveSync.
func (g *lineGen) iisClient(b []byte, u *user, x int, q *iisReq) []byte {
	r := g.r
	switch {
	case x < 22: // MAPI over HTTP
		b = append(b, "POST /mapi/emsmdb/ mailboxId="...)
		b = append(b, u.mbx...)
		b = append(b, '@')
		b = append(b, domain...)
		b = g.cafe(b)
		q.user, q.ip, q.ua = u.upn, u.ip, u.desktopUA
		if r.IntN(4) == 0 {
			q.taken = 30000 + r.IntN(600000) // NotificationWait
		}
	case x < 26:
		b = append(b, "POST /mapi/nspi/ MailboxId="...)
		b = append(b, u.mbx...)
		b = append(b, '@')
		b = append(b, domain...)
		b = g.cafe(b)
		q.user, q.ip, q.ua = u.upn, u.ip, u.desktopUA
	case x < 36: // EWS
		b = append(b, "POST /EWS/Exchange.asmx "...)
		b = g.cafe(b)
		q.user, q.ip, q.ua = u.upn, u.ip, u.desktopUA
		if r.IntN(8) == 0 {
			q.ua = "ExchangeServicesClient/15.00.0913.015"
		}
	default: // ActiveSync
		cmd := pick(r, easCmds)
		b = append(b, "POST /Microsoft-Server-ActiveSync/default.eas Cmd="...)
		b = append(b, cmd...)
		b = append(b, "&User="...)
		b = append(b, u.sam...)
		b = append(b, "&DeviceId="...)
		b = append(b, u.device...)
		b = append(b, "&DeviceType="...)
		b = append(b, u.devType...)
		b = g.cafe(b)
		q.user, q.ip, q.ua = `contoso\`+u.sam, u.mobileIP, u.mobileUA
		if cmd == "Ping" {
			q.taken = 300000 + r.IntN(1200000)
		}
	}
	return b
}

// iisBrowser writes the URL of a browser or discovery request (48 <= x < 78): OWA, ECP, Autodiscover.
func (g *lineGen) iisBrowser(b []byte, u *user, x int, q *iisReq) []byte {
	r := g.r
	switch {
	case x < 58: // OWA service calls
		b = append(b, "POST /owa/service.svc action="...)
		b = append(b, pick(r, owaActions)...)
		b = append(b, "&EP=1&ID=-"...)
		b = strconv.AppendInt(b, int64(1+r.IntN(300)), 10)
		b = append(b, "&AC=1"...)
		b = g.cafe(b)
		q.user, q.ip, q.ua, q.ref = u.upn, u.ip, u.browserUA, "https://"+mailHost+"/owa/"
		q.challenge = false
	case x < 66: // OWA static resources
		b = append(b, "GET /owa/prem/"...)
		b = append(b, pick(r, builds)...)
		b = append(b, pick(r, []string{"/scripts/boot.worker.common.js", "/scripts/microsoft.owa.mail.js", "/resources/styles/fabric.color.theme.light.css", "/resources/images/0/sprite1.mouse.png", "/scripts/owa.PeopleHub.js"})...)
		b = append(b, ' ')
		b = g.cafe(b)
		q.user, q.ip, q.ua, q.ref = u.upn, u.ip, u.browserUA, "https://"+mailHost+"/owa/"
		q.challenge = false
	case x < 69: // OWA sign-in
		switch r.IntN(4) {
		case 0:
			b = append(b, "GET /owa/ "...)
			b = g.cafe(b)
			q.user, q.status = "-", "302"
		case 1:
			b = append(b, "GET /owa/auth/logon.aspx url=https%3a%2f%2fmail.contoso.com%2fowa%2f&reason=0"...)
			b = g.cafe(b)
			q.user = "-"
		case 2:
			b = append(b, "POST /owa/auth.owa "...)
			b = g.cafe(b)
			q.user, q.status = u.upn, "302"
		default:
			b = append(b, "GET /owa/auth/15.2.858/themes/resources/favicon.ico "...)
			b = g.cafe(b)
			q.user = "-"
		}
		q.ip, q.ua, q.ref = u.ip, u.browserUA, "https://"+mailHost+"/owa/auth/logon.aspx?url=https%3a%2f%2fmail.contoso.com%2fowa%2f&reason=0"
		q.challenge = false
	case x < 72: // ECP (admins and users' options)
		switch r.IntN(4) {
		case 0:
			b = append(b, "GET /ecp/ "...)
			b = g.cafe(b)
		case 1:
			b = append(b, "POST /ecp/DDI/DDIService.svc/GetList schema=Mailboxes&msExchEcpCanary="...)
			b = appendHex(b, r, 32)
			b = g.cafe(b)
		case 2:
			b = append(b, "POST /ecp/DDI/DDIService.svc/SetObject schema=MailboxPropertiesSlab&msExchEcpCanary="...)
			b = appendHex(b, r, 32)
			b = g.cafe(b)
		default:
			b = append(b, "GET /ecp/15.2.858.5/scripts/microsoft.exchange.controlpanel.client.js "...)
			b = g.cafe(b)
		}
		q.user, q.ip, q.ua, q.ref = `contoso\`+u.sam, u.ip, u.browserUA, "https://"+mailHost+"/ecp/"
		q.challenge = false
	default: // Autodiscover
		if r.IntN(2) == 0 {
			b = append(b, "POST /Autodiscover/Autodiscover.xml "...)
			b = g.cafe(b)
		} else {
			b = append(b, "GET /autodiscover/autodiscover.json/v1.0/"...)
			b = append(b, u.upn...)
			b = append(b, " Protocol="...)
			b = append(b, pick(r, []string{"AutodiscoverV1", "ActiveSync", "Ews", "Rest"})...)
			b = append(b, "&RedirectCount=1"...)
			b = g.cafe(b)
		}
		q.user, q.ip, q.ua = u.upn, u.ip, u.desktopUA
	}
	return b
}

// iisOther writes the URL of the rest (x >= 78): health probes, Outlook Anywhere, OAB, scanners, OWA notifications.
func (g *lineGen) iisOther(b []byte, u *user, x int, q *iisReq) []byte {
	r := g.r
	switch {
	case x < 86: // Managed availability probes
		switch r.IntN(4) {
		case 0, 1:
			b = append(b, "GET /"...)
			b = append(b, pick(r, vdirs)...)
			b = append(b, "/healthcheck.htm -"...)
			q.user, q.ip, q.ua = "-", "127.0.0.1", "AMProbe/Local/ClientAccess"
			q.taken = r.IntN(15)
		case 2:
			b = append(b, "POST /mapi/emsmdb/ mailboxId="...)
			b = append(b, u.mbx...)
			b = append(b, "@contoso.com"...)
			b = g.cafe(b)
			q.user, q.ip, q.ua = "HealthMailbox6c1d5a3@"+domain, serverIP, "MapiHttpClient"
		default:
			b = append(b, "POST /powershell clientApplication=ActiveMonitor;PSVersion=5.1.17763.1852"...)
			b = g.cafe(b)
			q.user, q.ip, q.ua = "HealthMailbox6c1d5a3@"+domain, serverIP, "Microsoft WinRM Client"
		}
		q.challenge = false
	case x < 90: // Outlook Anywhere
		b = append(b, "RPC_IN_DATA /rpc/rpcproxy.dll "...)
		b = append(b, u.mbx...)
		b = append(b, "@contoso.com:6001"...)
		b = g.cafe(b)
		q.user, q.ip, q.ua = `contoso\`+u.sam, u.ip, "MSRPC"
		q.taken = 1000 + r.IntN(900000)
	case x < 93: // Offline address book
		b = append(b, "GET /OAB/9a7e3e0c-7e4c-4c4a-9b2e-4e4f1f2a3b5c/oab.xml "...)
		b = g.cafe(b)
		q.user, q.ip, q.ua = `contoso\`+u.sam, u.ip, u.desktopUA
	case x < 95: // Internet scanners
		b = append(b, "GET "...)
		b = append(b, pick(r, scanURIs)...)
		b = append(b, " -"...)
		q.user, q.ip, q.ua = "-", "198.18."+strconv.Itoa(r.IntN(256))+"."+strconv.Itoa(1+r.IntN(254)), pick(r, scanUAs)
		q.status, q.sub, q.win32 = "404", "0", "2"
		q.challenge = false
	default: // Outlook on the web event stream and notifications
		b = append(b, "POST /owa/ev.owa2 ns=PendingRequest&ev=PendingNotificationRequest&UA=0&SessionId="...)
		b = appendGUID(b, r)
		b = g.cafe(b)
		q.user, q.ip, q.ua, q.ref = u.upn, u.ip, u.browserUA, "https://"+mailHost+"/owa/"
		q.taken = 20000 + r.IntN(800000)
		q.challenge = false
	}
	return b
}

var shellURLs = []string{"/owa/auth/OutlookZH.aspx", "/aspnet_client/system_web/4_0_30319/xclbhkq.aspx", "/aspnet_client/discover.aspx",
	"/owa/auth/Current/themes/resources/errorEEE.aspx", "/aspnet_client/system_web/log.asp"}

func (g *lineGen) attack(f *logFile, t time.Time, kind string) []byte {
	if f.iis {
		return g.iisAttack(t, kind)
	}
	return g.proxyAttack(f.proto, t, kind)
}

func (g *lineGen) iisAttack(t time.Time, kind string) []byte {
	r := g.r
	b := appendDate(g.buf[:0], t, ' ')
	b = append(b, ' ')
	b = append(b, serverIP...)
	b = append(b, ' ')
	user, ua, status := "-", "ExchangeServicesClient/0.0.0.0", "200"
	switch kind {
	case "proxylogon-ssrf-static-post":
		b = append(b, "POST /ecp/"...)
		b = append(b, "yxzabcs"[r.IntN(7)])
		b = append(b, ".js "...)
		b = g.cafe(b)
	case "proxylogon-ddi-reset-vdir":
		b = append(b, "POST /ecp/DDI/DDIService.svc/SetObject schema=ResetOABVirtualDirectory&msExchEcpCanary="...)
		b = appendHex(b, r, 32)
		b = g.cafe(b)
		user, ua = `CONTOSO\administrator`, "python-requests/2.25.1"
	case "webshell-post":
		b = append(b, "POST "...)
		b = append(b, pick(r, shellURLs)...)
		b = append(b, " -"...)
		ua = pick(r, []string{"antSword/v2.1", "python-requests/2.25.1", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/89.0.4389.82 Safari/537.36"})
	case "proxyshell-autodiscover":
		if r.IntN(2) == 0 {
			b = append(b, "POST /autodiscover/autodiscover.json @evil.corp/powershell/?X-Rps-CAT=VgEAVAdXaW5kb3dzQwBBCEtlcmJlcm9zTBhhZG1pbmlzdHJhdG9yQGNvbnRvc28uY29tVSxTLTEtNS0yMS0x&Email=autodiscover/autodiscover.json%3F@evil.corp"...)
			ua = "Python PSRP Client"
		} else {
			b = append(b, "GET /autodiscover/autodiscover.json @evil.corp/mapi/nspi/?&Email=autodiscover/autodiscover.json%3F@evil.corp"...)
			ua = "python-requests/2.26.0"
		}
		b = g.cafe(b)
	case "proxynotshell-autodiscover":
		b = append(b, "POST /autodiscover/autodiscover.json @evil.corp/owa/&Email=autodiscover/autodiscover.json%3F@evil.corp&Protocol=XYZ&FooProtocol=Powershell"...)
		b = g.cafe(b)
		ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/105.0.0.0 Safari/537.36"
	case "owassrf-powershell":
		b = append(b, "POST /owa/mastermailbox@outlook.com/powershell clientVersion=15.2.858.5"...)
		b = g.cafe(b)
		user, ua = `CONTOSO\`+g.users[r.IntN(len(g.users))].sam, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/105.0.5195.54 Safari/537.36"
	default:
		panic("unknown attack " + kind)
	}
	b = append(b, " 443 "...)
	b = append(b, user...)
	b = append(b, ' ')
	b = append(b, pick(r, attackerIPs)...)
	b = append(b, ' ')
	b = iisUA(b, ua)
	b = append(b, " - "...)
	b = append(b, status...)
	b = append(b, " 0 0 "...)
	b = strconv.AppendInt(b, int64(10+r.IntN(400)), 10)
	b = append(b, '\r', '\n')
	g.buf = b
	return b
}

// ---- Exchange HttpProxy CSV ----

type proxyRow struct {
	stem, action, auth, authUser, anchor, ua, ip, status, method, target, routingType, routingHint, cookie, query string
	authenticated                                                                                                 bool
}

func (g *lineGen) proxyLine(proto string, t time.Time) []byte {
	r := g.r
	u := &g.users[r.IntN(len(g.users))]
	row := proxyRow{auth: "Negotiate", authUser: u.upn, anchor: "Smtp~" + u.upn, ua: u.desktopUA, ip: u.ip, status: "200",
		method: "POST", target: pick(r, []string{"exch01.contoso.local", "exch02.contoso.local"}), routingType: "Intra-Forest",
		routingHint: "AnchorMailboxHeader-SMTP", authenticated: true}
	switch proto {
	case "Owa":
		row.auth, row.ua = "Cafe", u.browserUA
		switch x := r.IntN(10); {
		case x < 6:
			row.stem, row.action = "/owa/service.svc", pick(r, owaActions)
			row.query = "?action=" + row.action + "&EP=1&ID=-" + strconv.Itoa(1+r.IntN(300)) + "&AC=1"
		case x < 8:
			row.stem, row.action, row.query = "/owa/ev.owa2", "PendingRequest", "?ns=PendingRequest&ev=PendingNotificationRequest&UA=0"
		default:
			row.stem, row.method = "/owa/", "GET"
		}
		row.routingHint = "UrlProxyLogonUser"
	case "Ecp":
		row.auth, row.ua, row.authUser = "Cafe", u.browserUA, `CONTOSO\`+u.sam
		row.anchor = "Sid~S-1-5-21-1004336348-1177238915-682003330-" + strconv.Itoa(1100+r.IntN(5000))
		if r.IntN(2) == 0 {
			row.stem, row.query = "/ecp/DDI/DDIService.svc/GetList", "?schema=Mailboxes&msExchEcpCanary="+string(appendHex(nil, r, 32))
		} else {
			row.stem, row.method = "/ecp/PersonalSettings/HomePage.aspx", "GET"
		}
		row.routingHint = "LogonUserSid"
	case "Ews":
		row.stem = "/EWS/Exchange.asmx"
		if r.IntN(8) == 0 {
			row.ua = "ExchangeServicesClient/15.00.0913.015"
		}
	case "Eas":
		cmd := pick(r, easCmds)
		row.stem, row.action, row.ua, row.ip, row.auth = "/Microsoft-Server-ActiveSync/default.eas", cmd, u.mobileUA, u.mobileIP, "Basic"
		row.authUser = `contoso\` + u.sam
		row.query = "?Cmd=" + cmd + "&User=" + u.sam + "&DeviceId=" + u.device + "&DeviceType=" + u.devType
		row.routingHint = "DeviceId"
	case "Mapi":
		if r.IntN(5) == 0 {
			row.stem, row.action = "/mapi/nspi/", pick(r, []string{"Bind", "QueryRows", "GetMatches"})
		} else {
			row.stem, row.action = "/mapi/emsmdb/", pick(r, []string{"Execute", "Execute", "Execute", "NotificationWait", "Connect"})
		}
		row.anchor = "MailboxGuidWithDomain~" + u.mbx + "@" + domain
		row.query = "?mailboxId=" + u.mbx + "@" + domain
		row.routingHint = "AnchorMailboxHeader-MailboxGuid"
	case "Autodiscover":
		if r.IntN(2) == 0 {
			row.stem = "/Autodiscover/Autodiscover.xml"
		} else {
			row.stem, row.method = "/autodiscover/autodiscover.json/v1.0/"+u.upn, "GET"
			row.query = "?Protocol=" + pick(r, []string{"AutodiscoverV1", "ActiveSync", "Ews"}) + "&RedirectCount=1"
		}
	}
	if r.IntN(12) == 0 {
		row.status, row.authenticated, row.authUser, row.anchor = "401", false, "", ""
	}
	row.cookie = "Database~" + guidString(r) + "~~" + t.Add(-time.Duration(r.IntN(3600))*time.Second).Format("2006-01-02T15:04:05")
	return g.proxyRow(proto, t, &row)
}

func (g *lineGen) proxyAttack(proto string, t time.Time, kind string) []byte {
	r := g.r
	row := proxyRow{ua: "ExchangeServicesClient/0.0.0.0", ip: pick(r, attackerIPs), status: "200", method: "POST",
		target: "exch01.contoso.local", routingHint: "X-BEResource-Cookie"}
	switch kind {
	case "proxylogon-serverinfo-autodiscover":
		row.stem = "/ecp/" + string("yxzabcs"[r.IntN(7)]) + ".js"
		row.anchor = "ServerInfo~a]@exch01.contoso.local:444/autodiscover/autodiscover.xml?#"
	case "proxylogon-serverinfo-proxylogon-ecp":
		row.stem, row.status, row.ua = "/ecp/proxyLogon.ecp", "241", "python-requests/2.25.1"
		row.anchor = "ServerInfo~a]@exch01.contoso.local:444/ecp/proxyLogon.ecp#"
	case "proxylogon-serverinfo-reset-vdir":
		row.stem, row.authenticated, row.authUser = "/ecp/DDI/DDIService.svc/SetObject", true, `CONTOSO\administrator`
		row.anchor = "ServerInfo~a]@exch01.contoso.local:444/ecp/DDI/DDIService.svc/SetObject?msExchEcpCanary=" + string(appendHex(nil, r, 32)) + "&schema=ResetOABVirtualDirectory#"
		row.query = "?schema=ResetOABVirtualDirectory"
	case "proxylogon-localhost-probe":
		row.stem, row.method, row.status = "/owa/auth/x.js", "GET", "500"
		row.anchor, row.target, row.routingType, row.routingHint = "ServerInfo~localhost/ecp/default.flt?", "localhost", "CrossRegion", "X-AnonResource-Backend-Cookie"
	default:
		panic("unknown attack " + kind)
	}
	return g.proxyRow(proto, t, &row)
}

// proxyRow writes the 74 HttpProxy columns.
func (g *lineGen) proxyRow(proto string, t time.Time, row *proxyRow) []byte {
	r := g.r
	b := appendDate(g.buf[:0], t, 'T')
	ms := t.Nanosecond() / 1e6
	b = append(b, '.', byte('0'+ms/100), byte('0'+ms/10%10), byte('0'+ms%10), 'Z', ',')
	b = appendGUID(b, r)
	b = append(b, ",15,2,858,5,"...)
	if row.status != "500" && r.IntN(3) == 0 {
		b = appendGUID(b, r)
	}
	b = append(b, ',')
	b = append(b, proto...)
	b = append(b, ","+mailHost+","...)
	b = csvField(b, row.stem)
	b = append(b, ',')
	b = append(b, row.action...)
	b = append(b, ',')
	b = append(b, row.auth...)
	if row.authenticated {
		b = append(b, ",True,"...)
	} else {
		b = append(b, ",False,"...)
	}
	b = csvField(b, row.authUser)
	b = append(b, ",,"...)
	b = csvField(b, row.anchor)
	b = append(b, ',')
	b = proxyUA(b, row.ua)
	b = append(b, ',')
	b = append(b, row.ip...)
	b = append(b, ",EXCH01,"...)
	b = append(b, row.status...)
	b = append(b, ',')
	b = append(b, row.status...)
	b = append(b, ",,"...)
	b = append(b, row.method...)
	b = append(b, ",Proxy,"...)
	b = append(b, row.target...)
	b = append(b, ",Version 15.2 (Build 858.5),"...)
	b = append(b, row.routingType...)
	b = append(b, ',')
	b = append(b, row.routingHint...)
	b = append(b, ',')
	b = append(b, row.cookie...)
	b = append(b, ",exch01.contoso.local,"...)
	// ServerLocatorLatency .. TotalRequestTime, RouteRefresherLatency:
	// numbers and the break-up fields Exchange leaves mostly empty.
	b = strconv.AppendInt(b, int64(r.IntN(3)), 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(200+r.IntN(9000)), 10) // RequestBytes
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(300+r.IntN(60000)), 10) // ResponseBytes
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(r.IntN(4)), 10)
	b = append(b, ",,"...)
	b = strconv.AppendInt(b, int64(r.IntN(40)), 10) // HttpPipelineLatency
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(r.IntN(5)), 10)
	b = append(b, ",,0,,0,,0,"...)                 // GLS, account forest, resource forest
	b = strconv.AppendInt(b, int64(r.IntN(6)), 10) // ADLatency
	b = append(b, ",,0,"...)
	total := 5 + r.IntN(900)
	for i := 0; i < 13; i++ { // ActivityContextLifeTime .. HandlerToModuleSwitchingLatency
		b = strconv.AppendInt(b, int64(r.IntN(total/4+1)), 10)
		b = append(b, ',')
	}
	b = strconv.AppendInt(b, int64(total-r.IntN(total/2+1)), 10) // ProxyTime
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(r.IntN(20)), 10) // CoreLatency
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(r.IntN(3)), 10) // RoutingLatency
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(r.IntN(30)), 10) // HttpProxyOverhead
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(total), 10) // TotalRequestTime
	b = append(b, ",0,"...)
	b = csvField(b, row.query)
	b = append(b, ",,"...)
	// GenericInfo: the per-request trace Exchange writes.
	b = append(b, "RequestStartTime="...)
	b = appendDate(b, t, 'T')
	b = append(b, ";ProxyState-Run=None;FEAuth=BEVersion-1942062522;BeginRequest="...)
	b = appendDate(b, t, 'T')
	b = append(b, ";CorrelationID=<empty>;ProxyState-Complete=ProxyResponseData;SharedCacheGuard=0;EndRequest="...)
	b = appendDate(b, t, 'T')
	b = append(b, ";I32:ADS.C[DC01]="...)
	b = strconv.AppendInt(b, int64(1+r.IntN(4)), 10)
	b = append(b, ";F:ADS.AL[DC01]="...)
	b = strconv.AppendFloat(b, r.Float64()*3, 'f', 4, 64)
	b = append(b, ";I32:ATE.C[DC01.contoso.local]="...)
	b = strconv.AppendInt(b, int64(1+r.IntN(4)), 10)
	b = append(b, ";F:ATE.AL[DC01.contoso.local]=0;I32:MB.C[exch01.contoso.local]=1;F:MB.AL[exch01.contoso.local]="...)
	b = strconv.AppendFloat(b, r.Float64()*9, 'f', 4, 64)
	b = append(b, ";Dbl:BudgUse.T[]="...)
	b = strconv.AppendFloat(b, r.Float64()*40, 'f', 4, 64)
	b = append(b, ";I32:RoutingDB.C="...)
	b = strconv.AppendInt(b, int64(r.IntN(3)), 10)
	b = append(b, ";,,"...)
	b = appendGUID(b, r) // EdgeTraceId
	b = append(b, ',')
	if row.authenticated {
		b = appendGUID(b, r) // DatabaseGuid
		b = append(b, ',')
		b = appendGUID(b, r) // UserADObjectGuid
	} else {
		b = append(b, ',')
	}
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(r.IntN(3)), 10)
	b = append(b, ",Complete\r\n"...)
	g.buf = b
	return b
}

// csvField quotes a value that holds a comma or a quote.
func csvField(b []byte, s string) []byte {
	if !strings.ContainsAny(s, ",\"\r\n") {
		return append(b, s...)
	}
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			b = append(b, '"')
		}
		b = append(b, s[i])
	}
	return append(b, '"')
}
