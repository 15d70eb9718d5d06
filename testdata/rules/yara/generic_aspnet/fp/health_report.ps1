# Exchange health report: services, registry, ports and processes.
$ErrorActionPreference = "Stop"
function Get-RegValue($path, $name) { (Get-ItemProperty -Path "Registry::HKEY_LOCAL_MACHINE\$path").$name }
$services = Get-WmiObject -Class Win32_Service | Where-Object { $_.Name -like "MSExchange*" }
$procs = [System.Diagnostics.Process]::GetProcesses() | Where-Object { $_.ProcessName -eq "w3wp" }
$tcp = New-Object System.Net.Sockets.TcpClient
try { $tcp.Connect("localhost", 443) } finally { $tcp.Close() }
$psi = New-Object System.Diagnostics.ProcessStartInfo("cmd.exe", "/c netsh http show sslcert")
$psi.RedirectStandardOutput = $true
$psi.UseShellExecute = $false
$p = [System.Diagnostics.Process]::Start($psi)
$out = $p.StandardOutput.ReadToEnd()
[System.IO.File]::SetLastWriteTime("C:\temp\report.html", (Get-Date))
$sc = [System.ServiceProcess.ServiceController]::GetServices()
$Request = @{ Url = "https://localhost/owa" }
Write-Host $Request["Url"]
