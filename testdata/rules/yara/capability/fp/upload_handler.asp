<!--#include file="../inc/conn.asp"-->
<!--#include file="../inc/upload_class.asp"-->
<%
' Editor image upload: saves under /uploads with a generated name.
If Session("UserID") = "" Then Response.Redirect "../login.asp"
Dim up, file, ext, saveName
Set up = New UploadClass
up.Parse Request.BinaryRead(Request.TotalBytes)
Set file = up.File("imgFile")
ext = LCase(Mid(file.FileName, InStrRev(file.FileName, ".")))
If InStr(",.jpg,.jpeg,.png,.gif,", "," & ext & ",") = 0 Then
  Response.Write "{""error"":1,""message"":""type not allowed""}"
  Response.End
End If
saveName = Year(Now) & Month(Now) & Day(Now) & Int(Rnd * 100000) & ext
file.SaveToFile Server.MapPath("/uploads/" & saveName)
Response.Write "{""error"":0,""url"":""/uploads/" & saveName & """}"
%>
