<%
' Stores a posted attachment for the ticket system (upload component replacement).
Dim total, data, stream
total = Request.TotalBytes
data = Request.BinaryRead(total)
Set stream = Server.CreateObject("ADODB.Stream")
stream.Type = 1
stream.Open
stream.Write data
stream.SaveToFile Server.MapPath("/App_Data/tickets/" & Session("ticketId") & ".bin"), 2
stream.Close
Response.Write "stored " & total & " bytes"
%>
